// Bulk receive throughput: one HTTP/1.0 response of --file-megabytes from
// `gnutls-serv --http --httpdata` over loopback, read by edgefetch's tls::Client
// and by a libssl client (same server, same pinned cell). Reports receive MB/s
// (wall, orientation only on a shared machine), client CPU seconds per GB
// (thread CPU of the receive loop, recv() included) and, per connection, the
// client CPU of the TCP handshake. Under `valgrind --tool=callgrind
// --collect-atstart=no` with --callgrind it makes one measured connection per
// client and writes two labelled dumps: "tcp-hs ..." (the handshake) and
// "bulk ... bytes=N" (the receive path only).
//
// gnutls-serv is the server for every cell because it is the one local peer
// for 3DES and RC4 (Debian's libssl has both compiled out): for those cells
// only edgefetch's figures exist. Not a test: nothing fails on a number.

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "edgefetch/crypto/library.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "support/bench_pki.hpp"
#include "support/cells.hpp"
#include "support/client_meter.hpp"
#include "support/gnutls_server.hpp"
#include "support/libssl.hpp"
#include "support/options.hpp"
#include "support/socket_receive.hpp"

namespace edgefetch::bench {
namespace {

using policy::ProtocolVersion;

struct BulkCell {
  Cell cell;
  std::string_view priority;  // gnutls-serv priority string pinning the same cell
};

const std::vector<BulkCell>& bulk_cells() {
  static const std::vector<BulkCell> cells = {
      {{"aes128-gcm", ProtocolVersion::tls1_2, "ECDHE-RSA-AES128-GCM-SHA256", "X25519", LeafKey::rsa2048},
       "NONE:+VERS-TLS1.2:+ECDHE-RSA:+AES-128-GCM:+AEAD:+GROUP-X25519:+SIGN-RSA-SHA256:+COMP-NULL"},
      {{"aes256-cbc-sha", ProtocolVersion::tls1_2, "ECDHE-RSA-AES256-SHA", "X25519", LeafKey::rsa2048},
       "NONE:+VERS-TLS1.2:+ECDHE-RSA:+AES-256-CBC:+SHA1:+GROUP-X25519:+SIGN-RSA-SHA256:+COMP-NULL"},
      {{"tls10-aes128-sha", ProtocolVersion::tls1_0, "AES128-SHA", "", LeafKey::rsa2048},
       "NONE:+VERS-TLS1.0:+RSA:+AES-128-CBC:+SHA1:+SIGN-ALL:+COMP-NULL"},
      {{"3des-cbc-sha", ProtocolVersion::tls1_2, "DES-CBC3-SHA", "", LeafKey::rsa2048},
       "NONE:+VERS-TLS1.2:+RSA:+3DES-CBC:+SHA1:+SIGN-ALL:+COMP-NULL"},
      {{"rc4-md5", ProtocolVersion::tls1_2, "RC4-MD5", "", LeafKey::rsa2048},
       "NONE:+VERS-TLS1.2:+RSA:+ARCFOUR-128:+MD5:+SIGN-ALL:+COMP-NULL"},
  };
  return cells;
}

enum class ClientKind { edgefetch, libssl };

std::string_view client_name(ClientKind kind) {
  return kind == ClientKind::edgefetch ? "edgefetch" : "libssl";
}

struct Settings {
  std::uint64_t megabytes = 256;      // per client per cell
  std::uint64_t file_megabytes = 32;  // one response
  bool callgrind = false;
  std::FILE* tsv = nullptr;
};

struct Totals {
  std::uint64_t connections = 0;
  std::uint64_t bytes = 0;
  std::int64_t receive_wall_ns = 0;
  std::int64_t receive_cpu_ns = 0;
  std::int64_t handshake_cpu_ns = 0;
  std::string negotiated;
  std::string failure;

  [[nodiscard]] double mb_per_s() const {
    return receive_wall_ns > 0
               ? static_cast<double>(bytes) / 1e6 / (static_cast<double>(receive_wall_ns) / 1e9)
               : 0.0;
  }
  [[nodiscard]] double cpu_s_per_gb() const {
    return bytes > 0 ? static_cast<double>(receive_cpu_ns) / 1e9 / (static_cast<double>(bytes) / 1e9) : 0.0;
  }
};

// One connection with either client.
class Connector {
 public:
  Connector(ClientKind kind, const tls::ClientConfig* edgefetch, SSL_CTX* libssl, std::uint16_t port)
      : kind_(kind), edgefetch_(edgefetch), libssl_(libssl), port_(port) {}

  BulkResult connect(ClientMeter& handshake, ClientMeter& receive, const BulkOptions& options) const {
    if (kind_ == ClientKind::edgefetch) {
      // Every measured connection is a first connection: a repeat would only skip
      // chain verification, which the handshake benchmark covers.
      edgefetch_->trust_store->cache().clear();
      return edgefetch_bulk_receive(*edgefetch_, port_, handshake, receive, options);
    }
    return libssl_bulk_receive(libssl_, port_, handshake, receive, options);
  }

 private:
  ClientKind kind_;
  const tls::ClientConfig* edgefetch_;
  SSL_CTX* libssl_;
  std::uint16_t port_;
};

Totals measure(const Cell& cell, ClientKind kind, const Connector& connector, const Settings& settings) {
  Totals totals;
  ClientMeter handshake;
  ClientMeter receive;
  handshake.set_collecting(false);
  receive.set_collecting(false);
  // Warm-up: one-time initialisation is paid here, on a short read.
  BulkOptions warmup;
  warmup.stop_after = 1'000'000;
  if (const BulkResult result = connector.connect(handshake, receive, warmup); !result.error.empty()) {
    totals.failure = "warm-up: " + result.error;
    return totals;
  }
  handshake.reset();
  receive.reset();

  const std::uint64_t connections =
      settings.callgrind ? 1 : std::max<std::uint64_t>(1, settings.megabytes / settings.file_megabytes);
  for (std::uint64_t i = 0; i < connections; ++i) {
    BulkOptions options;
    if (settings.callgrind) {
      handshake.set_collecting(true);
      options.after_handshake = [&] {
        handshake.set_collecting(false);
        const std::string label = fmt::format("tcp-hs cell={} client={}", cell.name, client_name(kind));
        callgrind_dump(label.c_str());
        receive.set_collecting(true);
      };
    }
    const BulkResult result = connector.connect(handshake, receive, options);
    if (!result.error.empty()) {
      totals.failure = result.error;
      return totals;
    }
    if (settings.callgrind) {
      receive.set_collecting(false);
      const std::string label =
          fmt::format("bulk cell={} client={} bytes={}", cell.name, client_name(kind), result.bytes);
      callgrind_dump(label.c_str());
    }
    ++totals.connections;
    totals.bytes += result.bytes;
    totals.receive_wall_ns += result.receive_wall_ns;
    totals.receive_cpu_ns += result.receive_cpu_ns;
    totals.negotiated = result.negotiated;
  }
  totals.handshake_cpu_ns = handshake.cpu_ns();
  return totals;
}

void print_totals(const Cell& cell, ClientKind kind, const Totals& t, const Settings& settings) {
  if (!t.failure.empty()) {
    fmt::print("  {:<10} FAILED: {}\n", client_name(kind), t.failure);
    return;
  }
  const double hs_us =
      t.connections > 0 ? static_cast<double>(t.handshake_cpu_ns) / 1e3 / static_cast<double>(t.connections)
                        : 0.0;
  fmt::print("  {:<10} {:>8.1f} {:>9.1f} {:>11.3f} {:>12.1f}   {}\n", client_name(kind),
             static_cast<double>(t.bytes) / 1e6, t.mb_per_s(), t.cpu_s_per_gb(), hs_us, t.negotiated);
  if (settings.tsv != nullptr) {
    fmt::print(settings.tsv, "bulk\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", cell.name, client_name(kind), t.bytes,
               t.receive_cpu_ns, t.receive_wall_ns, t.connections, t.handshake_cpu_ns);
  }
}

std::filesystem::path write_payload(const std::filesystem::path& dir, std::uint64_t megabytes) {
  const std::filesystem::path path = dir / "payload.bin";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::vector<char> block(1 << 20);
  // A non-repeating-looking pattern; TLS does no compression, so content only matters for honesty.
  std::uint32_t x = 2463534242U;
  for (std::uint64_t m = 0; m < megabytes; ++m) {
    for (char& c : block) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      c = static_cast<char>(x & 0xFFU);
    }
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
  return path;
}

int usage(const std::string& problem) {
  if (!problem.empty()) fmt::print(stderr, "bulk_bench: {}\n", problem);
  fmt::print(
      stderr,
      "usage: bulk_bench [--cells a,b] [--clients edgefetch,libssl] [--megabytes N]\n"
      "                  [--file-megabytes N] [--pki DIR] [--work-dir DIR] [--tsv FILE] [--callgrind]\n"
      "cells:");
  for (const BulkCell& c : bulk_cells()) fmt::print(stderr, " {}", c.cell.name);
  fmt::print(stderr, "\n");
  return 2;
}

int run_main(int argc, char** argv) {
  Options options(argc, argv, {"callgrind", "help"});
  if (!options.ok()) return usage(options.error());
  if (options.flag("help")) return usage("");
  if (const auto bad = options.unknown(
          {"cells", "clients", "megabytes", "file-megabytes", "pki", "work-dir", "tsv", "callgrind", "help"});
      !bad.empty()) {
    return usage("unknown option --" + bad.front());
  }
  Settings settings;
  settings.megabytes = options.number_or("megabytes", settings.megabytes);
  settings.file_megabytes =
      std::max<std::uint64_t>(1, options.number_or("file-megabytes", settings.file_megabytes));
  settings.callgrind = options.flag("callgrind");
  if (!options.ok()) return usage(options.error());

  std::vector<const BulkCell*> cells;
  for (const std::string& name : split_list(options.value_or("cells", ""))) {
    const auto it = std::find_if(bulk_cells().begin(), bulk_cells().end(),
                                 [&](const BulkCell& c) { return c.cell.name == name; });
    if (it == bulk_cells().end()) return usage("unknown cell " + name);
    cells.push_back(&*it);
  }
  if (cells.empty())
    for (const BulkCell& c : bulk_cells()) cells.push_back(&c);
  std::vector<ClientKind> clients;
  for (const std::string& name : split_list(options.value_or("clients", "edgefetch,libssl"))) {
    if (name == "edgefetch") {
      clients.push_back(ClientKind::edgefetch);
    } else if (name == "libssl") {
      clients.push_back(ClientKind::libssl);
    } else {
      return usage("unknown client " + name);
    }
  }

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> tsv(nullptr, &std::fclose);
  if (const auto path = options.value("tsv")) {
    tsv.reset(std::fopen(path->c_str(), "a"));
    if (!tsv) return usage("cannot append to " + *path);
    settings.tsv = tsv.get();
  }
  const std::optional<std::string> pki_dir = options.value("pki");
  const BenchPki pki = pki_dir ? BenchPki::open(*pki_dir) : BenchPki::generate();
  // The payload and server logs go next to the PKI unless told otherwise.
  const std::filesystem::path work = options.value_or("work-dir", pki.dir().string());
  const std::filesystem::path payload = write_payload(work, settings.file_megabytes);

  fmt::print("Bulk receive from gnutls-serv over loopback, {} MB per response{}.\n", settings.file_megabytes,
             settings.callgrind ? " (callgrind: one measured response per client)" : "");
  fmt::print(
      "MB/s = wall clock of the receive loop; CPU = its thread CPU time (recv included);\n"
      "handshake = client CPU of the TCP handshake (chain cache emptied first). Orientation only.\n");
  if (!crypto::legacy_provider_available())
    fmt::print("note: libcrypto's legacy provider is missing, edgefetch cannot offer RC4\n");
  int failures = 0;
  for (const BulkCell* bulk : cells) {
    const Cell& cell = bulk->cell;
    fmt::print("\n{}  [{}]\n", cell.describe(), cell.name);
    const std::filesystem::path log = work / fmt::format("gnutls-serv-{}.log", cell.name);
    auto server = GnuTlsServer::start(std::string(bulk->priority), pki.leaf(cell.leaf), payload, log);
    if (!server) {
      fmt::print("  cannot start the server: {}\n", server.error());
      ++failures;
      continue;
    }
    auto config = edgefetch_config(cell, pki.ca_file());
    auto libssl = libssl_client_context(cell, pki.ca_file());
    if (libssl) SSL_CTX_set_read_ahead(libssl->get(), 1);
    fmt::print("  {:<10} {:>8} {:>9} {:>11} {:>12}\n", "client", "MB", "MB/s", "CPU s/GB", "hs CPU us");
    std::optional<Totals> edgefetch_totals, libssl_totals;
    for (ClientKind kind : clients) {
      if (kind == ClientKind::edgefetch && !config) {
        fmt::print("  {:<10} cannot: {}\n", client_name(kind), config.error());
        ++failures;
        continue;
      }
      if (kind == ClientKind::libssl && !libssl) {
        fmt::print("  {:<10} no libssl peer: Debian's libssl cannot do {} ({})\n", client_name(kind),
                   cell.suite, libssl.error());
        continue;
      }
      const Connector connector(kind, config ? &*config : nullptr, libssl ? libssl->get() : nullptr,
                                server->port());
      const Totals totals = measure(cell, kind, connector, settings);
      print_totals(cell, kind, totals, settings);
      if (!totals.failure.empty()) {
        ++failures;
        continue;
      }
      (kind == ClientKind::edgefetch ? edgefetch_totals : libssl_totals) = totals;
    }
    if (edgefetch_totals && libssl_totals && libssl_totals->cpu_s_per_gb() > 0 &&
        libssl_totals->mb_per_s() > 0) {
      fmt::print("  edgefetch/libssl: throughput {:.2f}x, CPU per GB {:.2f}x\n",
                 edgefetch_totals->mb_per_s() / libssl_totals->mb_per_s(),
                 edgefetch_totals->cpu_s_per_gb() / libssl_totals->cpu_s_per_gb());
    }
  }
  std::error_code ignored;
  std::filesystem::remove(payload, ignored);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace edgefetch::bench

int main(int argc, char** argv) {
  return edgefetch::bench::run_main(argc, argv);
}
