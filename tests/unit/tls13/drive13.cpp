#include "drive13.hpp"

#include <algorithm>
#include <ctime>

#include "edgefetch/crypto/random.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/profile.hpp"
#include "tls/messages/client_hello.hpp"
#include "tls/tls13/server_hello13.hpp"

namespace edgefetch::tls::tls13::test {
namespace {

constexpr int kMaxRounds = 32;

}  // namespace

std::vector<std::uint8_t> plaintext_record(std::uint8_t type, std::uint16_t version,
                                           std::span<const std::uint8_t> body) {
  // Sized first and filled by position (GCC 12 misreads insert() after an
  // initializer-list constructor as an out-of-bounds copy).
  std::vector<std::uint8_t> out(5 + body.size());
  out[0] = type;
  out[1] = static_cast<std::uint8_t>(version >> 8);
  out[2] = static_cast<std::uint8_t>(version);
  out[3] = static_cast<std::uint8_t>(body.size() >> 8);
  out[4] = static_cast<std::uint8_t>(body.size());
  std::copy(body.begin(), body.end(), out.begin() + 5);
  return out;
}

void pump(Client13& client, MemoryServer13& server,
          const std::function<void(std::vector<std::uint8_t>&)>& tamper) {
  for (int round = 0; round < kMaxRounds; ++round) {
    bool moved = false;
    const auto to_server = client.pending_output();
    if (!to_server.empty()) {
      server.receive(to_server);
      client.consume_output(to_server.size());
      moved = true;
    }
    server.step();
    auto to_client = server.take_output();
    if (!to_client.empty()) {
      if (tamper) tamper(to_client);
      (void)client.feed(to_client);
      moved = true;
    }
    if (!moved) return;
  }
}

BuiltHello build_hello(const DriveOptions& options) {
  BuiltHello result;
  const policy::Profile* profile = policy::profile_by_name(options.profile);
  if (profile == nullptr) {
    result.failure = "no profile " + options.profile;
    return result;
  }
  ClientConfig config;
  const std::vector<policy::ProtocolVersion> selection = {policy::ProtocolVersion::tls1_2};
  config.offer = policy::narrow(*profile, selection);
  config.server_name = std::string(support::kOriginName);
  config.verify_name = std::string(support::kOriginName);
  config.verify_certificates = options.verify_certificates;
  config.alpn = options.alpn;
  auto store = crypto::TrustStore::from_pem_file(support::TestPki::get().ca_file().string());
  if (!store) {
    result.failure = "trust store: " + store.error().message;
    return result;
  }
  config.trust_store = *store;

  messages::ClientHelloInputs inputs;
  inputs.server_name = config.server_name;
  inputs.alpn = config.alpn;
  inputs.session_id.resize(32);
  (void)crypto::random_bytes(inputs.random);
  (void)crypto::random_bytes(inputs.session_id);
  auto hello = messages::build_client_hello(config.offer, inputs);
  auto share = crypto::KeyShare::generate(config.offer.groups.front()->code);
  if (!share) {
    result.failure = "key share: " + share.error().message;
    return result;
  }
  // build_client_hello writes supported_versions; the key share is the engine's part.
  hello.key_shares = std::vector<messages::KeyShareOffer>{
      {share->group(), std::vector<std::uint8_t>(share->public_key().begin(), share->public_key().end())}};
  auto encoded = messages::encode_client_hello(hello);
  if (!encoded) {
    result.failure = "ClientHello does not encode";
    return result;
  }
  result.handover.config = std::move(config);
  result.handover.verification_time = std::time(nullptr);
  result.handover.client_hello = std::move(*encoded);
  result.handover.key_shares.push_back(std::move(*share));
  return result;
}

Driven drive_handshake(MemoryServer13& server, const DriveOptions& options) {
  Driven result;
  auto built = build_hello(options);
  if (!built.failure.empty()) {
    result.failure = built.failure;
    return result;
  }
  server.receive(plaintext_record(22, 0x0301, built.handover.client_hello));
  server.step();
  auto first = server.take_output();
  if (options.tamper_server_bytes) options.tamper_server_bytes(first);
  // The first record holds the ServerHello (or HelloRetryRequest) alone.
  if (first.size() < 9 || first[0] != 22 || first[5] != 2) {
    result.failure = "server did not answer with a ServerHello: " + server.last_error();
    return result;
  }
  const std::size_t record_length = (static_cast<std::size_t>(first[3]) << 8) | first[4];
  const std::span<const std::uint8_t> all(first);
  const auto server_hello = all.subspan(5, record_length);
  const auto after = all.subspan(5 + record_length);

  result.client = std::make_unique<Client13>(std::move(built.handover));
  (void)result.client->start(server_hello, after);
  pump(*result.client, server, options.tamper_server_bytes);
  return result;
}

}  // namespace edgefetch::tls::tls13::test
