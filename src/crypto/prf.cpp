#include "edgefetch/crypto/prf.hpp"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>

#include "crypto/library_context.hpp"
#include "crypto/openssl_util.hpp"
#include "edgefetch/crypto/library.hpp"

namespace edgefetch::crypto {

using policy::HashAlgorithm;

base::Expected<void, Error> tls_prf(HashAlgorithm hash, std::span<const std::uint8_t> secret,
                                    std::string_view label, std::span<const std::uint8_t> seed,
                                    std::span<std::uint8_t> out) {
  if (auto ready = initialize(); !ready) {
    return ready;
  }
  if (hash == HashAlgorithm::md5) {
    return base::unexpected(Error{"the TLS PRF is not defined over MD5 alone"});
  }
  detail::EvpKdfCtxPtr ctx(EVP_KDF_CTX_new(detail::tls1_prf_kdf()));
  if (!ctx) {
    return base::unexpected(detail::openssl_error("EVP_KDF_CTX_new(TLS1-PRF)"));
  }
  // TLS1-PRF concatenates repeated seed parameters: label then seed.
  const std::array<OSSL_PARAM, 5> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(detail::md_name(hash)), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
                                        const_cast<std::uint8_t*>(detail::data_or_empty(secret.data())),
                                        secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, const_cast<char*>(label.data()), label.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_SEED, const_cast<std::uint8_t*>(detail::data_or_empty(seed.data())), seed.size()),
      OSSL_PARAM_construct_end()};
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params.data()) != 1) {
    return base::unexpected(detail::openssl_error("EVP_KDF_derive(TLS1-PRF)"));
  }
  return {};
}

base::Expected<SecretBytes, Error> tls_prf(HashAlgorithm hash, std::span<const std::uint8_t> secret,
                                           std::string_view label, std::span<const std::uint8_t> seed,
                                           std::size_t out_length) {
  SecretBytes out(out_length);
  if (auto done = tls_prf(hash, secret, label, seed, out); !done) {
    return base::unexpected(done.error());
  }
  return out;
}

base::Expected<void, Error> ssl3_prf(std::span<const std::uint8_t> secret, std::span<const std::uint8_t> seed,
                                     std::span<std::uint8_t> out) {
  constexpr std::size_t kMd5Length = 16;
  constexpr std::size_t kMaxRounds = 26;  // salts "A" .. "ZZZ...Z"
  if (out.size() > kMaxRounds * kMd5Length) {
    return base::unexpected(Error{"SSLv3 key derivation output too long"});
  }
  if (auto ready = initialize(); !ready) {
    return ready;
  }
  std::array<std::uint8_t, kMaxRounds> salt{};
  std::size_t produced = 0;
  for (std::size_t round = 0; produced < out.size(); ++round) {
    // salt: round+1 copies of the letter 'A' + round
    const std::size_t salt_length = round + 1;
    salt.fill(static_cast<std::uint8_t>('A' + round));
    HashContext sha1(HashAlgorithm::sha1);
    sha1.update(std::span(salt.data(), salt_length));
    sha1.update(secret);
    sha1.update(seed);
    const auto inner = sha1.finish();
    HashContext md5(HashAlgorithm::md5);
    md5.update(secret);
    md5.update(inner);
    auto block = md5.finish();
    const std::size_t take = std::min(block.size(), out.size() - produced);
    std::copy_n(block.begin(), take, out.begin() + static_cast<std::ptrdiff_t>(produced));
    secure_wipe(block.data(), block.size());
    produced += take;
  }
  return {};
}

std::size_t ssl3_pad_length(HashAlgorithm hash) {
  return hash == HashAlgorithm::md5 ? 48 : 40;
}

namespace {
constexpr std::uint8_t kPad1 = 0x36;
constexpr std::uint8_t kPad2 = 0x5c;

void feed_pad(HashContext& ctx, std::uint8_t byte, std::size_t count) {
  std::array<std::uint8_t, 48> pad{};
  pad.fill(byte);
  ctx.update(std::span(pad.data(), count));
}

std::vector<std::uint8_t> ssl3_finished_half(HashContext messages, HashAlgorithm hash, std::uint32_t sender,
                                             std::span<const std::uint8_t> master_secret) {
  const std::size_t pad = ssl3_pad_length(hash);
  const std::array<std::uint8_t, 4> sender_bytes = {
      static_cast<std::uint8_t>(sender >> 24), static_cast<std::uint8_t>(sender >> 16),
      static_cast<std::uint8_t>(sender >> 8), static_cast<std::uint8_t>(sender)};
  messages.update(sender_bytes);
  messages.update(master_secret);
  feed_pad(messages, kPad1, pad);
  const auto inner = messages.finish();
  HashContext outer(hash);
  outer.update(master_secret);
  feed_pad(outer, kPad2, pad);
  outer.update(inner);
  return outer.finish();
}
}  // namespace

std::vector<std::uint8_t> ssl3_finished(HashContext md5_of_messages, HashContext sha1_of_messages,
                                        std::uint32_t sender, std::span<const std::uint8_t> master_secret) {
  auto out = ssl3_finished_half(std::move(md5_of_messages), HashAlgorithm::md5, sender, master_secret);
  const auto sha =
      ssl3_finished_half(std::move(sha1_of_messages), HashAlgorithm::sha1, sender, master_secret);
  out.insert(out.end(), sha.begin(), sha.end());
  return out;
}

Ssl3Mac::Ssl3Mac(HashAlgorithm hash, SecretBytes secret)
    : hash_(hash), secret_(std::move(secret)), inner_start_(hash), outer_start_(hash), inner_(hash) {
  inner_start_.update(secret_);
  feed_pad(inner_start_, kPad1, ssl3_pad_length(hash_));
  outer_start_.update(secret_);
  feed_pad(outer_start_, kPad2, ssl3_pad_length(hash_));
  inner_ = inner_start_;
}

base::Expected<Ssl3Mac, Error> Ssl3Mac::create(HashAlgorithm hash, std::span<const std::uint8_t> mac_secret) {
  if (hash != HashAlgorithm::md5 && hash != HashAlgorithm::sha1) {
    return base::unexpected(Error{"the SSLv3 MAC is defined for MD5 and SHA-1 only"});
  }
  if (auto ready = initialize(); !ready) {
    return base::unexpected(ready.error());
  }
  return Ssl3Mac(hash, SecretBytes(mac_secret.begin(), mac_secret.end()));
}

void Ssl3Mac::finish(std::span<std::uint8_t> out) {
  const auto inner = inner_.finish();
  HashContext outer(outer_start_);
  outer.update(inner);
  const auto mac = outer.finish();
  std::copy_n(mac.begin(), std::min(mac.size(), out.size()), out.begin());
  reset();
}

void Ssl3Mac::reset() {
  inner_ = inner_start_;
}

}  // namespace edgefetch::crypto
