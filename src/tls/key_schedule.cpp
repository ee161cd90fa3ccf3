#include "tls/key_schedule.hpp"

#include <string>

#include "edgefetch/crypto/prf.hpp"
#include "edgefetch/tls/alert_description.hpp"

namespace edgefetch::tls {

namespace {

using policy::HashAlgorithm;
using policy::ProtocolVersion;

Error internal(std::string message) {
  Error error;
  error.code = ErrorCode::internal_error;
  error.alert_sender = AlertSender::client;
  error.alert = alert_description::kInternalError;
  error.message = "key schedule: " + std::move(message);
  return error;
}

// TLS 1.2: the suite's PRF hash; TLS 1.0/1.1: the MD5/SHA-1 PRF.
HashAlgorithm prf_hash(ProtocolVersion version, const policy::CipherSuite& suite) {
  return version >= ProtocolVersion::tls1_2 ? suite.prf_hash : HashAlgorithm::md5_sha1;
}

bool supported(ProtocolVersion version) {
  return version >= ProtocolVersion::ssl3 && version <= ProtocolVersion::tls1_2;
}

crypto::SecretBytes concat(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  crypto::SecretBytes out;
  out.reserve(a.size() + b.size());
  out.insert(out.end(), a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace

// ---- Transcript ----

void Transcript::add(std::span<const std::uint8_t> handshake_message) {
  if (!version_) {
    buffered_.insert(buffered_.end(), handshake_message.begin(), handshake_message.end());
    return;
  }
  if (prf_hash_) {
    prf_hash_->update(handshake_message);
  }
  if (md5_) {
    md5_->update(handshake_message);
  }
  if (sha1_) {
    sha1_->update(handshake_message);
  }
}

void Transcript::select(ProtocolVersion version, const policy::CipherSuite& suite) {
  if (version_) {
    return;
  }
  version_ = version;
  if (version >= ProtocolVersion::tls1_2) {
    prf_hash_.emplace(suite.prf_hash);
  } else {
    md5_.emplace(HashAlgorithm::md5);
    sha1_.emplace(HashAlgorithm::sha1);
  }
  std::vector<std::uint8_t> buffered;
  buffered.swap(buffered_);
  add(buffered);
}

std::vector<std::uint8_t> Transcript::current_hash() const {
  if (prf_hash_) {
    return prf_hash_->peek();
  }
  if (md5_ && sha1_) {
    auto out = md5_->peek();
    const auto sha = sha1_->peek();
    out.insert(out.end(), sha.begin(), sha.end());
    return out;
  }
  return {};
}

crypto::HashContext Transcript::md5_snapshot() const {
  return md5_ ? *md5_ : crypto::HashContext(HashAlgorithm::md5);
}
crypto::HashContext Transcript::sha1_snapshot() const {
  return sha1_ ? *sha1_ : crypto::HashContext(HashAlgorithm::sha1);
}

// ---- secrets ----

base::Expected<crypto::SecretBytes, Error> compute_master_secret(
    ProtocolVersion version, const policy::CipherSuite& suite,
    std::span<const std::uint8_t> pre_master_secret, std::span<const std::uint8_t> client_random,
    std::span<const std::uint8_t> server_random) {
  if (!supported(version)) {
    return base::unexpected(internal("unsupported version"));
  }
  if (client_random.size() != kRandomLength || server_random.size() != kRandomLength) {
    return base::unexpected(internal("randoms must be 32 bytes"));
  }
  const auto seed = concat(client_random, server_random);
  crypto::SecretBytes master(kMasterSecretLength);
  if (version == ProtocolVersion::ssl3) {
    if (auto done = crypto::ssl3_prf(pre_master_secret, seed, master); !done) {
      return base::unexpected(internal(done.error().message));
    }
    return master;
  }
  if (auto done = crypto::tls_prf(prf_hash(version, suite), pre_master_secret, "master secret", seed, master);
      !done) {
    return base::unexpected(internal(done.error().message));
  }
  return master;
}

base::Expected<crypto::SecretBytes, Error> compute_extended_master_secret(
    ProtocolVersion version, const policy::CipherSuite& suite,
    std::span<const std::uint8_t> pre_master_secret, std::span<const std::uint8_t> session_hash) {
  if (!supported(version) || version == ProtocolVersion::ssl3) {
    return base::unexpected(internal("the extended master secret needs TLS 1.0 or later"));
  }
  crypto::SecretBytes master(kMasterSecretLength);
  if (auto done = crypto::tls_prf(prf_hash(version, suite), pre_master_secret, "extended master secret",
                                  session_hash, master);
      !done) {
    return base::unexpected(internal(done.error().message));
  }
  return master;
}

base::Expected<KeyBlock, Error> derive_key_block(ProtocolVersion version, const policy::CipherSuite& suite,
                                                 std::span<const std::uint8_t> master_secret,
                                                 std::span<const std::uint8_t> client_random,
                                                 std::span<const std::uint8_t> server_random) {
  if (!supported(version)) {
    return base::unexpected(internal("unsupported version"));
  }
  if (client_random.size() != kRandomLength || server_random.size() != kRandomLength) {
    return base::unexpected(internal("randoms must be 32 bytes"));
  }
  const auto& cipher = policy::info(suite.cipher);
  const std::size_t mac_length = policy::info(suite.mac).length;
  const std::size_t key_length = cipher.key_length;
  std::size_t iv_length = 0;
  switch (cipher.kind) {
    case policy::CipherKind::aead:
      iv_length = cipher.fixed_iv_length;
      break;
    // CBC: the key block supplies the first IV only where IVs are implicit.
    case policy::CipherKind::block:
      iv_length = version <= ProtocolVersion::tls1_0 ? cipher.block_size : 0;
      break;
    case policy::CipherKind::stream:
      iv_length = 0;
      break;
  }
  const std::size_t total = 2 * (mac_length + key_length + iv_length);
  const auto seed = concat(server_random, client_random);
  crypto::SecretBytes block(total);
  if (version == ProtocolVersion::ssl3) {
    if (auto done = crypto::ssl3_prf(master_secret, seed, block); !done) {
      return base::unexpected(internal(done.error().message));
    }
  } else if (auto done =
                 crypto::tls_prf(prf_hash(version, suite), master_secret, "key expansion", seed, block);
             !done) {
    return base::unexpected(internal(done.error().message));
  }
  std::size_t offset = 0;
  auto take = [&](std::size_t n) {
    crypto::SecretBytes out(block.begin() + static_cast<std::ptrdiff_t>(offset),
                            block.begin() + static_cast<std::ptrdiff_t>(offset + n));
    offset += n;
    return out;
  };
  KeyBlock keys;
  keys.client_write.mac_key = take(mac_length);
  keys.server_write.mac_key = take(mac_length);
  keys.client_write.key = take(key_length);
  keys.server_write.key = take(key_length);
  keys.client_write.iv = take(iv_length);
  keys.server_write.iv = take(iv_length);
  return keys;
}

std::size_t verify_data_length(ProtocolVersion version) {
  return version == ProtocolVersion::ssl3 ? 36 : 12;
}

base::Expected<std::vector<std::uint8_t>, Error> compute_finished_verify_data(
    ProtocolVersion version, const policy::CipherSuite& suite, std::span<const std::uint8_t> master_secret,
    FinishedSender sender, const Transcript& transcript) {
  if (!supported(version)) {
    return base::unexpected(internal("unsupported version"));
  }
  if (!transcript.selected()) {
    return base::unexpected(internal("transcript hash not started"));
  }
  if (version == ProtocolVersion::ssl3) {
    return crypto::ssl3_finished(
        transcript.md5_snapshot(), transcript.sha1_snapshot(),
        sender == FinishedSender::client ? crypto::kSsl3SenderClient : crypto::kSsl3SenderServer,
        master_secret);
  }
  const auto handshake_hash = transcript.current_hash();
  std::vector<std::uint8_t> verify_data(verify_data_length(version));
  const std::string_view label = sender == FinishedSender::client ? "client finished" : "server finished";
  if (auto done =
          crypto::tls_prf(prf_hash(version, suite), master_secret, label, handshake_hash, verify_data);
      !done) {
    return base::unexpected(internal(done.error().message));
  }
  return verify_data;
}

}  // namespace edgefetch::tls
