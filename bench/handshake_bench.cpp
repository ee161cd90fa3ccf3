// Full TLS handshakes, edgefetch's sans-IO tls::Client vs a libssl client, both
// against the same in-process libssl server over memory buffers (no network
// noise), pinned to the same version, suite, group and signature scheme, with
// chain verification on (RSA-2048 root and intermediate, private CA).
//
// Cells: TLS 1.2 (and 1.0) as in issues 3/4, and TLS 1.3 (issue 7) with
// TLS_AES_128_GCM_SHA256 over X25519 and P-256, RSA-2048 (rsa_pss_rsae_sha256)
// and ECDSA P-256 leaves. In the TLS 1.3 cells edgefetch offers
// CloudFront-Upstream-TLS-1-3-2025 narrowed to the cell; both clients send one
// key share, for the cell's group (no HelloRetryRequest), and the server sends
// no session tickets (libssl would read them only in SSL_read). Except in
// tls13-rsa-hrr-x25519: both clients offer P-256 then X25519 with a P-256
// share, as the CDN does, and the X25519-only server asks for another share.
//
// Runs:
//   edgefetch-first   the verified-chain cache is emptied before each handshake
//   edgefetch-repeat  same origin again: the cache holds the chain
//   libssl-full       a full handshake (libssl has no chain cache: first = repeat)
//   libssl-resumed    session-ticket resumption (abbreviated handshake; shown apart:
//                     edgefetch has no resumption, which issues 3/4 do not ask for);
//                     TLS 1.2 and lower cells only (the TLS 1.3 server sends no tickets)
//
// Only client work is measured: CPU time of the client's calls, and, under
// `valgrind --tool=callgrind --collect-atstart=no` with --callgrind, their
// instructions (one callgrind dump per run, labelled "hs cell=... run=... n=...").
// Not a test: nothing here passes or fails on a number.

#include <fmt/core.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "edgefetch/crypto/x509.hpp"
#include "support/bench_pki.hpp"
#include "support/cells.hpp"
#include "support/client_meter.hpp"
#include "support/libssl.hpp"
#include "support/memory_handshake.hpp"
#include "support/options.hpp"

namespace edgefetch::bench {
namespace {

using policy::ProtocolVersion;

const std::vector<Cell>& handshake_cells() {
  static const std::vector<Cell> cells = {
      {"ecdhe-rsa-x25519", ProtocolVersion::tls1_2, "ECDHE-RSA-AES128-GCM-SHA256", "X25519",
       LeafKey::rsa2048},
      {"ecdhe-rsa-p256", ProtocolVersion::tls1_2, "ECDHE-RSA-AES128-GCM-SHA256", "P-256", LeafKey::rsa2048},
      {"ecdhe-ecdsa-p256", ProtocolVersion::tls1_2, "ECDHE-ECDSA-AES128-GCM-SHA256", "P-256",
       LeafKey::ecdsa_p256},
      {"rsa-aes128-sha", ProtocolVersion::tls1_2, "AES128-SHA", "", LeafKey::rsa2048},
      {"tls10-rsa-aes128-sha", ProtocolVersion::tls1_0, "AES128-SHA", "", LeafKey::rsa2048},
      {"tls13-rsa-x25519", ProtocolVersion::tls1_3, "TLS_AES_128_GCM_SHA256", "X25519", LeafKey::rsa2048},
      {"tls13-rsa-p256", ProtocolVersion::tls1_3, "TLS_AES_128_GCM_SHA256", "P-256", LeafKey::rsa2048},
      {"tls13-ecdsa-x25519", ProtocolVersion::tls1_3, "TLS_AES_128_GCM_SHA256", "X25519",
       LeafKey::ecdsa_p256},
      {"tls13-ecdsa-p256", ProtocolVersion::tls1_3, "TLS_AES_128_GCM_SHA256", "P-256", LeafKey::ecdsa_p256},
      // As the CDN offers (one P-256 share) to an X25519-only server: a HelloRetryRequest.
      {"tls13-rsa-hrr-x25519", ProtocolVersion::tls1_3, "TLS_AES_128_GCM_SHA256", "X25519", LeafKey::rsa2048,
       "P-256:X25519"},
  };
  return cells;
}

enum class Run { edgefetch_first, edgefetch_repeat, libssl_full, libssl_resumed };
constexpr Run kAllRuns[] = {Run::edgefetch_first, Run::edgefetch_repeat, Run::libssl_full,
                            Run::libssl_resumed};

std::string_view run_name(Run run) {
  switch (run) {
    case Run::edgefetch_first:
      return "edgefetch-first";
    case Run::edgefetch_repeat:
      return "edgefetch-repeat";
    case Run::libssl_full:
      return "libssl-full";
    case Run::libssl_resumed:
      return "libssl-resumed";
  }
  return "?";
}

struct Settings {
  std::uint64_t iterations = 200;
  std::uint64_t warmup = 3;
  double max_seconds = 3.0;  // wall bound per run (ignored with --callgrind: counts must be exact)
  bool callgrind = false;
  std::FILE* tsv = nullptr;
};

struct CellContext {
  const Cell& cell;
  SSL_CTX* server;
  SSL_CTX* libssl_client;
  const tls::ClientConfig& edgefetch;
};

struct RunOutcome {
  std::uint64_t handshakes = 0;
  std::int64_t cpu_ns = 0;
  std::int64_t wall_ns = 0;
  std::uint64_t cache_hits = 0;
  std::string failure;
  std::string negotiated;
  std::string server_saw;
};

class Runner {
 public:
  Runner(const CellContext& ctx, Run run) : ctx_(ctx), run_(run) {}

  // Anything a run needs before its first handshake (a session to resume).
  std::string prepare() {
    if (run_ != Run::libssl_resumed) return {};
    ClientMeter scratch;
    scratch.set_collecting(false);
    const HandshakeResult first =
        libssl_memory_handshake(ctx_.libssl_client, ctx_.server, scratch, nullptr, &session_);
    if (!first.ok) return first.error;
    if (!session_) return "libssl kept no session to resume";
    return {};
  }

  HandshakeResult once(ClientMeter& meter) {
    switch (run_) {
      case Run::edgefetch_first:
        ctx_.edgefetch.trust_store->cache().clear();  // not client work of this connection
        return edgefetch_memory_handshake(ctx_.edgefetch, ctx_.server, meter);
      case Run::edgefetch_repeat:
        return edgefetch_memory_handshake(ctx_.edgefetch, ctx_.server, meter);
      case Run::libssl_full:
        return libssl_memory_handshake(ctx_.libssl_client, ctx_.server, meter);
      case Run::libssl_resumed: {
        HandshakeResult result =
            libssl_memory_handshake(ctx_.libssl_client, ctx_.server, meter, session_.get(), nullptr);
        if (result.ok && !result.resumed) {
          result.ok = false;
          result.error = "libssl did not resume the session";
        }
        return result;
      }
    }
    return {};
  }

 private:
  const CellContext& ctx_;
  Run run_;
  SslSession session_;
};

RunOutcome measure(const CellContext& ctx, Run run, const Settings& settings) {
  RunOutcome outcome;
  Runner runner(ctx, run);
  if (std::string failure = runner.prepare(); !failure.empty()) {
    outcome.failure = failure;
    return outcome;
  }
  ClientMeter meter;
  meter.set_collecting(false);
  // Warm-up: one-time initialisation (providers, algorithm fetches, caches) is
  // paid here, and the first result shows what was negotiated.
  for (std::uint64_t i = 0; i < settings.warmup; ++i) {
    const HandshakeResult result = runner.once(meter);
    if (!result.ok) {
      outcome.failure = result.error;
      return outcome;
    }
    if (i == 0) {
      outcome.negotiated = result.negotiated;
      outcome.server_saw = result.server_saw;
    }
  }
  crypto::VerifiedChainCache& cache = ctx.edgefetch.trust_store->cache();
  const std::uint64_t hits_before = cache.hits();
  meter.reset();
  meter.set_collecting(settings.callgrind);
  const std::int64_t wall_start = wall_ns();
  const auto bound_ns = static_cast<std::int64_t>(settings.max_seconds * 1e9);
  while (outcome.handshakes < settings.iterations) {
    if (!settings.callgrind && wall_ns() - wall_start > bound_ns) break;
    const HandshakeResult result = runner.once(meter);
    if (!result.ok) {
      outcome.failure = result.error;
      break;
    }
    ++outcome.handshakes;
  }
  outcome.wall_ns = wall_ns() - wall_start;
  outcome.cpu_ns = meter.cpu_ns();
  outcome.cache_hits = cache.hits() - hits_before;
  if (settings.callgrind) {
    const std::string label =
        fmt::format("hs cell={} run={} n={}", ctx.cell.name, run_name(run), outcome.handshakes);
    callgrind_dump(label.c_str());
  }
  return outcome;
}

double per_handshake_us(const RunOutcome& o) {
  return o.handshakes == 0 ? 0.0 : static_cast<double>(o.cpu_ns) / 1e3 / static_cast<double>(o.handshakes);
}

void print_run(const Cell& cell, Run run, const RunOutcome& o, const Settings& settings) {
  if (!o.failure.empty()) {
    fmt::print("  {:<17} FAILED: {}\n", run_name(run), o.failure);
    return;
  }
  const double us = per_handshake_us(o);
  const double loop_rate =
      o.wall_ns > 0 ? static_cast<double>(o.handshakes) * 1e9 / static_cast<double>(o.wall_ns) : 0.0;
  std::string note;
  if (run == Run::edgefetch_first || run == Run::edgefetch_repeat)
    note = fmt::format("chain-cache hits {}", o.cache_hits);
  fmt::print("  {:<17} {:>6} {:>12.1f} {:>12.0f} {:>12.0f}   {}\n", run_name(run), o.handshakes, us,
             us > 0 ? 1e6 / us : 0.0, loop_rate, note);
  if (settings.tsv != nullptr) {
    fmt::print(settings.tsv, "handshake\t{}\t{}\t{}\t{}\t{}\n", cell.name, run_name(run), o.handshakes,
               o.cpu_ns, o.wall_ns);
  }
}

int usage(const std::string& problem) {
  if (!problem.empty()) fmt::print(stderr, "handshake_bench: {}\n", problem);
  fmt::print(stderr,
             "usage: handshake_bench [--cells a,b] [--runs r1,r2] [--iterations N] [--warmup N]\n"
             "                       [--max-seconds S] [--pki DIR] [--tsv FILE] [--callgrind]\n"
             "       handshake_bench --write-pki DIR\n"
             "cells:");
  for (const Cell& cell : handshake_cells()) fmt::print(stderr, " {}", cell.name);
  fmt::print(stderr, "\nruns:");
  for (Run run : kAllRuns) fmt::print(stderr, " {}", run_name(run));
  fmt::print(stderr, "\n");
  return 2;
}

int run_main(int argc, char** argv) {
  Options options(argc, argv, {"callgrind", "help"});
  if (!options.ok()) return usage(options.error());
  if (options.flag("help")) return usage("");
  if (const auto bad = options.unknown({"cells", "runs", "iterations", "warmup", "max-seconds", "pki", "tsv",
                                        "callgrind", "write-pki", "help"});
      !bad.empty()) {
    return usage("unknown option --" + bad.front());
  }
  if (const auto dir = options.value("write-pki")) {
    const BenchPki pki = BenchPki::generate_into(*dir);
    fmt::print("benchmark PKI written to {}\n", pki.dir().string());
    return 0;
  }

  Settings settings;
  settings.iterations = options.number_or("iterations", settings.iterations);
  settings.warmup = std::max<std::uint64_t>(1, options.number_or("warmup", settings.warmup));
  settings.max_seconds = static_cast<double>(options.number_or("max-seconds", 3));
  settings.callgrind = options.flag("callgrind");
  if (!options.ok()) return usage(options.error());
  if (settings.callgrind && !running_on_valgrind())
    fmt::print(stderr, "handshake_bench: --callgrind outside valgrind counts nothing\n");

  std::vector<const Cell*> cells;
  for (const std::string& name : split_list(options.value_or("cells", ""))) {
    const Cell* found = nullptr;
    for (const Cell& cell : handshake_cells())
      if (cell.name == name) found = &cell;
    if (found == nullptr) return usage("unknown cell " + name);
    cells.push_back(found);
  }
  if (cells.empty())
    for (const Cell& cell : handshake_cells()) cells.push_back(&cell);
  std::vector<Run> runs;
  for (const std::string& name : split_list(options.value_or("runs", ""))) {
    std::optional<Run> found;
    for (Run run : kAllRuns)
      if (run_name(run) == name) found = run;
    if (!found) return usage("unknown run " + name);
    runs.push_back(*found);
  }
  if (runs.empty()) runs.assign(std::begin(kAllRuns), std::end(kAllRuns));

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> tsv(nullptr, &std::fclose);
  if (const auto path = options.value("tsv")) {
    tsv.reset(std::fopen(path->c_str(), "a"));
    if (!tsv) return usage("cannot append to " + *path);
    settings.tsv = tsv.get();
  }

  const std::optional<std::string> pki_dir = options.value("pki");
  const BenchPki pki = pki_dir ? BenchPki::open(*pki_dir) : BenchPki::generate();

  int failures = 0;
  fmt::print("Full TLS handshakes, in-process libssl server over memory buffers; client work only.\n");
  fmt::print("CPU = thread CPU time of the client's calls (orientation only on a shared machine).\n");
  for (const Cell* cell : cells) {
    auto server = libssl_server_context(*cell, pki);
    auto client = libssl_client_context(*cell, pki.ca_file());
    auto config = edgefetch_config(*cell, pki.ca_file());
    fmt::print("\n{}  [{}]\n", cell->describe(), cell->name);
    if (!server || !client || !config) {
      fmt::print("  cannot set up: {}\n", !server   ? server.error()
                                          : !client ? client.error()
                                                    : config.error());
      ++failures;
      continue;
    }
    const CellContext ctx{*cell, server->get(), client->get(), *config};
    fmt::print("  {:<17} {:>6} {:>12} {:>12} {:>12}\n", "run", "count", "CPU us/hs", "hs/s (CPU)",
               "hs/s (loop)");
    std::optional<double> first_us, repeat_us, libssl_us;
    for (Run run : runs) {
      if (run == Run::libssl_resumed && cell->version == ProtocolVersion::tls1_3) {
        fmt::print("  {:<17} n/a: the TLS 1.3 server sends no session tickets\n", run_name(run));
        continue;
      }
      const RunOutcome outcome = measure(ctx, run, settings);
      print_run(*cell, run, outcome, settings);
      if (!outcome.failure.empty()) {
        ++failures;
        continue;
      }
      if (run == Run::edgefetch_first) first_us = per_handshake_us(outcome);
      if (run == Run::edgefetch_repeat) repeat_us = per_handshake_us(outcome);
      if (run == Run::libssl_full) libssl_us = per_handshake_us(outcome);
      if (run == Run::edgefetch_first || run == Run::libssl_full) {
        fmt::print("  {:<17} client: {}; server: {}\n", "", outcome.negotiated, outcome.server_saw);
      }
    }
    if (libssl_us && *libssl_us > 0) {
      if (first_us)
        fmt::print("  ratio edgefetch/libssl client CPU, first:  {:.2f}x\n", *first_us / *libssl_us);
      if (repeat_us)
        fmt::print("  ratio edgefetch/libssl client CPU, repeat: {:.2f}x\n", *repeat_us / *libssl_us);
    }
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace edgefetch::bench

int main(int argc, char** argv) {
  return edgefetch::bench::run_main(argc, argv);
}
