#include "support/forged_server.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <poll.h>

#include <array>
#include <condition_variable>
#include <mutex>

#include "support/deadline.hpp"
#include "support/tcp.hpp"

namespace edgefetch::support {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

void put_u8(Bytes& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
}
void put_u16(Bytes& out, std::size_t v) {
  put_u8(out, v >> 8 & 0xFF);
  put_u8(out, v & 0xFF);
}
void put_u24(Bytes& out, std::size_t v) {
  put_u8(out, v >> 16 & 0xFF);
  put_u16(out, v & 0xFFFF);
}
void put(Bytes& out, const Bytes& bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

Bytes handshake(std::uint8_t type, const Bytes& body) {
  Bytes out;
  put_u8(out, type);
  put_u24(out, body.size());
  put(out, body);
  return out;
}

base::Expected<std::vector<Bytes>, std::string> read_chain_der(const std::filesystem::path& path) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return base::unexpected("cannot read " + path.string());
  std::vector<Bytes> chain;
  while (X509* raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    const std::unique_ptr<X509, X509Free> cert(raw);
    const int len = i2d_X509(cert.get(), nullptr);
    if (len <= 0) return base::unexpected(std::string("i2d_X509 failed"));
    Bytes der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    i2d_X509(cert.get(), &p);
    chain.push_back(std::move(der));
  }
  if (chain.empty()) return base::unexpected("no certificate in " + path.string());
  return chain;
}

base::Expected<Pkey, std::string> read_key(const std::filesystem::path& path) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return base::unexpected("cannot read " + path.string());
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return base::unexpected("cannot parse key " + path.string());
  return key;
}

Pkey ephemeral_key(std::uint16_t group) {
  switch (group) {
    case 23:
      return Pkey(EVP_EC_gen("P-256"));
    case 24:
      return Pkey(EVP_EC_gen("P-384"));
    case 25:
      return Pkey(EVP_EC_gen("P-521"));
    case 29:
      return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
    default:
      return nullptr;
  }
}

const EVP_MD* scheme_digest(std::uint16_t scheme) {
  switch (scheme & 0xFF00) {
    case 0x0200:
      return EVP_sha1();
    case 0x0300:
      return EVP_sha224();
    case 0x0400:
      return EVP_sha256();
    case 0x0500:
      return EVP_sha384();
    case 0x0600:
      return EVP_sha512();
    default:
      break;
  }
  switch (scheme) {
    case 0x0804:
      return EVP_sha256();
    case 0x0805:
      return EVP_sha384();
    case 0x0806:
      return EVP_sha512();
    default:
      return nullptr;
  }
}

base::Expected<Bytes, std::string> sign(EVP_PKEY* key, std::uint16_t scheme, const Bytes& data) {
  const EVP_MD* md = scheme_digest(scheme);
  if (md == nullptr) return base::unexpected("cannot sign with scheme " + std::to_string(scheme));
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key) != 1) {
    return base::unexpected(std::string("EVP_DigestSignInit failed"));
  }
  if ((scheme & 0xFF00) == 0x0800 && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                                      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)) {
    return base::unexpected(std::string("PSS set-up failed"));
  }
  std::size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, data.data(), data.size()) != 1) {
    return base::unexpected(std::string("EVP_DigestSign (size) failed"));
  }
  Bytes signature(len);
  if (EVP_DigestSign(ctx.get(), signature.data(), &len, data.data(), data.size()) != 1) {
    return base::unexpected(std::string("EVP_DigestSign failed"));
  }
  signature.resize(len);
  return signature;
}

// Reads one whole TLS record. Empty on EOF, timeout or error.
Bytes read_record(int fd, Bytes& pending, Deadline deadline, int stop_fd) {
  std::array<std::uint8_t, 4096> buffer{};
  for (;;) {
    if (pending.size() >= 5) {
      const std::size_t length = static_cast<std::size_t>(pending[3]) << 8 | pending[4];
      if (pending.size() >= 5 + length) {
        Bytes record(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(5 + length));
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(5 + length));
        return record;
      }
    }
    auto n = recv_some(fd, buffer, deadline, stop_fd);
    if (!n || *n == 0) return {};
    pending.insert(pending.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
  }
}

}  // namespace

struct ForgedServer::State {
  ForgedFlight flight;
  std::vector<Bytes> chain;
  Pkey key;
  mutable std::mutex mutex;
  mutable std::condition_variable done;
  ClientReaction reaction;
  std::string error;

  // The flight for a ClientHello whose random is `client_random`.
  base::Expected<Bytes, std::string> build_flight(const Bytes& client_random) const {
    Bytes server_random(32);
    Bytes session_id(32);
    if (RAND_bytes(server_random.data(), 32) != 1 || RAND_bytes(session_id.data(), 32) != 1) {
      return base::unexpected(std::string("RAND_bytes failed"));
    }
    Bytes hello;
    put_u16(hello, flight.version);
    put(hello, server_random);
    put_u8(hello, session_id.size());
    put(hello, session_id);
    put_u16(hello, flight.suite);
    put_u8(hello, 0);  // null compression
    Bytes extensions;
    put_u16(extensions, 0xFF01);  // renegotiation_info, empty: answers the SCSV
    put_u16(extensions, 1);
    put_u8(extensions, 0);
    put_u16(hello, extensions.size());
    put(hello, extensions);

    Bytes flight_bytes = handshake(2, hello);
    if (flight.group == 0) return flight_bytes;

    Bytes certificates;
    for (const Bytes& der : chain) {
      put_u24(certificates, der.size());
      put(certificates, der);
    }
    Bytes certificate_body;
    put_u24(certificate_body, certificates.size());
    put(certificate_body, certificates);
    put(flight_bytes, handshake(11, certificate_body));

    const Pkey share = ephemeral_key(flight.group);
    if (!share) return base::unexpected("cannot make a key share for group " + std::to_string(flight.group));
    unsigned char* point = nullptr;
    const std::size_t point_len = EVP_PKEY_get1_encoded_public_key(share.get(), &point);
    if (point_len == 0) return base::unexpected(std::string("cannot encode the key share"));
    Bytes params;
    put_u8(params, 3);  // named_curve
    put_u16(params, flight.group);
    put_u8(params, point_len);
    params.insert(params.end(), point, point + point_len);
    OPENSSL_free(point);

    Bytes signed_data = client_random;
    put(signed_data, server_random);
    put(signed_data, params);
    auto signature = sign(key.get(), flight.scheme, signed_data);
    if (!signature) return base::unexpected(signature.error());
    Bytes key_exchange = params;
    put_u16(key_exchange, flight.scheme);
    put_u16(key_exchange, signature->size());
    put(key_exchange, *signature);
    put(flight_bytes, handshake(12, key_exchange));
    put(flight_bytes, handshake(14, {}));
    return flight_bytes;
  }

  void serve(int fd, int stop_fd) {
    const Deadline deadline = Deadline::after(std::chrono::seconds(10));
    Bytes pending;
    const Bytes hello = read_record(fd, pending, deadline, stop_fd);
    // Record header (5), handshake header (4), client_version (2), then the random.
    if (hello.size() < 5 + 4 + 2 + 32 || hello[0] != 22 || hello[5] != 1) {
      set_error("no ClientHello record");
      return;
    }
    {
      const std::lock_guard guard(mutex);
      reaction.client_hello_seen = true;
    }
    const Bytes client_random(hello.begin() + 11, hello.begin() + 43);
    auto flight_bytes = build_flight(client_random);
    if (!flight_bytes) {
      set_error(flight_bytes.error());
      return;
    }
    // One record is enough: every message here fits in 2^14 bytes together.
    Bytes record = {22, 0x03, 0x03};
    put_u16(record, flight_bytes->size());
    put(record, *flight_bytes);
    if (!send_all(fd, record, deadline)) {
      set_error("cannot send the flight");
      return;
    }
    for (;;) {
      const Bytes answer = read_record(fd, pending, deadline, stop_fd);
      const std::lock_guard guard(mutex);
      if (answer.empty()) {
        reaction.closed = true;
        done.notify_all();
        return;
      }
      reaction.record_types.push_back(answer[0]);
      if (answer[0] == 21 && answer.size() >= 7 && !reaction.alert_description) {
        reaction.alert_level = answer[5];
        reaction.alert_description = answer[6];
      }
    }
  }

  void set_error(std::string message) {
    const std::lock_guard guard(mutex);
    error = std::move(message);
    reaction.closed = true;  // nothing more will happen on this connection
    done.notify_all();
  }
};

base::Expected<std::unique_ptr<ForgedServer>, std::string> ForgedServer::start(ForgedFlight flight) {
  auto state = std::make_shared<State>();
  state->flight = flight;
  const LeafFiles files = TestPki::get().leaf(flight.leaf);
  auto chain = read_chain_der(files.chain);
  if (!chain) return base::unexpected(chain.error());
  auto key = read_key(files.key);
  if (!key) return base::unexpected(key.error());
  state->chain = std::move(*chain);
  state->key = std::move(*key);
  // Build a flight once up front so that a bad spec fails here, not in the server thread.
  if (auto probe = state->build_flight(Bytes(32, 0)); !probe) return base::unexpected(probe.error());

  std::unique_ptr<ForgedServer> server(new ForgedServer());
  server->state_ = state;
  auto loopback = LoopbackServer::start(
      [state](UniqueFd connection, int stop_fd) { state->serve(connection.get(), stop_fd); });
  if (!loopback) return base::unexpected(loopback.error());
  server->server_ = std::move(*loopback);
  return server;
}

ClientReaction ForgedServer::reaction(Deadline deadline) const {
  std::unique_lock lock(state_->mutex);
  state_->done.wait_for(lock, deadline.remaining(), [&] { return state_->reaction.closed; });
  return state_->reaction;
}

std::string ForgedServer::error() const {
  const std::lock_guard guard(state_->mutex);
  return state_->error;
}

}  // namespace edgefetch::support
