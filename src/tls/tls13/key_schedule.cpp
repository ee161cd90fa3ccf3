#include "tls/tls13/key_schedule.hpp"

#include <string>
#include <utility>

#include "edgefetch/crypto/hkdf.hpp"
#include "edgefetch/crypto/hmac.hpp"
#include "edgefetch/tls/alert_description.hpp"

namespace edgefetch::tls::tls13 {
namespace {

Error internal(std::string what, const crypto::Error& error) {
  return Error{ErrorCode::internal_error, AlertSender::client, alert_description::kInternalError,
               "TLS 1.3 key schedule: " + std::move(what) + ": " + error.message};
}

template <class T>
base::Expected<T, Error> lift(base::Expected<T, crypto::Error> result, const char* what) {
  if (!result) return base::unexpected(internal(what, result.error()));
  return std::move(*result);
}

}  // namespace

base::Expected<crypto::SecretBytes, Error> derive_secret(policy::HashAlgorithm hash,
                                                         std::span<const std::uint8_t> secret,
                                                         std::string_view label,
                                                         std::span<const std::uint8_t> transcript_hash) {
  return lift(crypto::hkdf_expand_label(hash, secret, label, transcript_hash, crypto::digest_length(hash)),
              "Derive-Secret");
}

base::Expected<TrafficKeys13, Error> derive_traffic_keys(const policy::CipherSuite& suite,
                                                         std::span<const std::uint8_t> traffic_secret) {
  const auto& cipher = policy::info(suite.cipher);
  auto key = lift(crypto::hkdf_expand_label(suite.prf_hash, traffic_secret, "key", {}, cipher.key_length),
                  "traffic key");
  if (!key) return base::unexpected(key.error());
  auto iv =
      lift(crypto::hkdf_expand_label(suite.prf_hash, traffic_secret, "iv", {}, kIvLength), "traffic iv");
  if (!iv) return base::unexpected(iv.error());
  return TrafficKeys13{std::move(*key), std::move(*iv)};
}

base::Expected<std::vector<std::uint8_t>, Error> finished_verify_data(
    policy::HashAlgorithm hash, std::span<const std::uint8_t> base_key,
    std::span<const std::uint8_t> transcript_hash) {
  auto finished_key = lift(
      crypto::hkdf_expand_label(hash, base_key, "finished", {}, crypto::digest_length(hash)), "finished key");
  if (!finished_key) return base::unexpected(finished_key.error());
  return lift(crypto::hmac(hash, *finished_key, transcript_hash), "Finished HMAC");
}

base::Expected<crypto::SecretBytes, Error> next_traffic_secret(policy::HashAlgorithm hash,
                                                               std::span<const std::uint8_t> secret) {
  return lift(crypto::hkdf_expand_label(hash, secret, "traffic upd", {}, crypto::digest_length(hash)),
              "KeyUpdate");
}

base::Expected<crypto::SecretBytes, Error> resumption_psk(
    policy::HashAlgorithm hash, std::span<const std::uint8_t> resumption_master_secret,
    std::span<const std::uint8_t> ticket_nonce) {
  return lift(crypto::hkdf_expand_label(hash, resumption_master_secret, "resumption", ticket_nonce,
                                        crypto::digest_length(hash)),
              "resumption PSK");
}

base::Expected<KeySchedule13, Error> KeySchedule13::create(const policy::CipherSuite& suite) {
  if (suite.key_exchange != policy::KeyExchange::tls13) {
    return base::unexpected(Error{ErrorCode::internal_error, AlertSender::client,
                                  alert_description::kInternalError,
                                  "TLS 1.3 key schedule for a non-TLS 1.3 suite"});
  }
  KeySchedule13 schedule(suite.prf_hash);
  const crypto::SecretBytes zeros(schedule.hash_length(), 0);
  auto early = lift(crypto::hkdf_extract(schedule.hash_, zeros, zeros), "early secret");
  if (!early) return base::unexpected(early.error());
  schedule.early_secret_ = std::move(*early);
  return schedule;
}

base::Expected<void, Error> KeySchedule13::set_handshake_secrets(std::span<const std::uint8_t> shared_secret,
                                                                 std::span<const std::uint8_t> hello_hash) {
  const auto empty_hash = crypto::digest(hash_, {});
  auto derived = derive_secret(hash_, early_secret_, "derived", empty_hash);
  if (!derived) return base::unexpected(derived.error());
  auto handshake = lift(crypto::hkdf_extract(hash_, *derived, shared_secret), "handshake secret");
  if (!handshake) return base::unexpected(handshake.error());
  handshake_secret_ = std::move(*handshake);

  auto client = derive_secret(hash_, handshake_secret_, "c hs traffic", hello_hash);
  if (!client) return base::unexpected(client.error());
  auto server = derive_secret(hash_, handshake_secret_, "s hs traffic", hello_hash);
  if (!server) return base::unexpected(server.error());
  client_hs_ = std::move(*client);
  server_hs_ = std::move(*server);

  auto derived_master = derive_secret(hash_, handshake_secret_, "derived", empty_hash);
  if (!derived_master) return base::unexpected(derived_master.error());
  const crypto::SecretBytes zeros(hash_length(), 0);
  auto master = lift(crypto::hkdf_extract(hash_, *derived_master, zeros), "master secret");
  if (!master) return base::unexpected(master.error());
  master_secret_ = std::move(*master);
  return {};
}

base::Expected<void, Error> KeySchedule13::set_application_secrets(
    std::span<const std::uint8_t> server_finished_hash) {
  auto client = derive_secret(hash_, master_secret_, "c ap traffic", server_finished_hash);
  if (!client) return base::unexpected(client.error());
  auto server = derive_secret(hash_, master_secret_, "s ap traffic", server_finished_hash);
  if (!server) return base::unexpected(server.error());
  auto exporter = derive_secret(hash_, master_secret_, "exp master", server_finished_hash);
  if (!exporter) return base::unexpected(exporter.error());
  client_ap_ = std::move(*client);
  server_ap_ = std::move(*server);
  exporter_ = std::move(*exporter);
  return {};
}

base::Expected<crypto::SecretBytes, Error> KeySchedule13::resumption_master_secret(
    std::span<const std::uint8_t> client_finished_hash) const {
  return derive_secret(hash_, master_secret_, "res master", client_finished_hash);
}

}  // namespace edgefetch::tls::tls13
