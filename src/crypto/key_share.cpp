#include "edgefetch/crypto/key_share.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>

#include <array>
#include <string>

#include "crypto/library_context.hpp"
#include "crypto/openssl_util.hpp"
#include "edgefetch/crypto/library.hpp"
#include "edgefetch/policy/named_group.hpp"

namespace edgefetch::crypto {

namespace {

struct GroupParams {
  std::uint16_t code;
  const char* keytype;     // "EC" or "X25519"
  const char* curve;       // OpenSSL group name for EC, nullptr for X25519
  std::size_t public_len;  // encoded public value length
};

constexpr std::array<GroupParams, 4> kGroups = {{
    {policy::kGroupSecp256r1, "EC", "P-256", 65},
    {policy::kGroupSecp384r1, "EC", "P-384", 97},
    {policy::kGroupSecp521r1, "EC", "P-521", 133},
    {policy::kGroupX25519, "X25519", nullptr, 32},
}};

const GroupParams* find_group(std::uint16_t code) {
  for (const auto& g : kGroups) {
    if (g.code == code) {
      return &g;
    }
  }
  return nullptr;
}

}  // namespace

struct KeyShare::Impl {
  const GroupParams* params = nullptr;
  detail::EvpPkeyPtr key;
};

bool key_share_supported(std::uint16_t group) {
  return find_group(group) != nullptr;
}

KeyShare::KeyShare(std::uint16_t group, std::unique_ptr<Impl> impl, std::vector<std::uint8_t> public_key)
    : group_(group), impl_(std::move(impl)), public_key_(std::move(public_key)) {}
KeyShare::~KeyShare() = default;
KeyShare::KeyShare(KeyShare&&) noexcept = default;
KeyShare& KeyShare::operator=(KeyShare&&) noexcept = default;

base::Expected<KeyShare, Error> KeyShare::generate(std::uint16_t group) {
  const GroupParams* params = find_group(group);
  if (params == nullptr) {
    return base::unexpected(Error{"unsupported key exchange group " + std::to_string(group)});
  }
  if (auto ready = initialize(); !ready) {
    return base::unexpected(ready.error());
  }
  detail::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(detail::libctx(), params->keytype, nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) {
    return base::unexpected(detail::openssl_error("keygen init"));
  }
  if (params->curve != nullptr && EVP_PKEY_CTX_set_group_name(ctx.get(), params->curve) != 1) {
    return base::unexpected(detail::openssl_error("keygen set group"));
  }
  EVP_PKEY* raw_key = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw_key) != 1) {
    return base::unexpected(detail::openssl_error("keygen"));
  }
  auto impl = std::make_unique<Impl>();
  impl->params = params;
  impl->key.reset(raw_key);
  unsigned char* encoded = nullptr;
  const std::size_t length = EVP_PKEY_get1_encoded_public_key(impl->key.get(), &encoded);
  if (length == 0 || encoded == nullptr) {
    return base::unexpected(detail::openssl_error("encoding public key"));
  }
  std::vector<std::uint8_t> public_key(encoded, encoded + length);
  OPENSSL_free(encoded);
  if (public_key.size() != params->public_len) {
    return base::unexpected(Error{"unexpected public key encoding"});
  }
  return KeyShare(group, std::move(impl), std::move(public_key));
}

base::Expected<SecretBytes, Error> KeyShare::derive(std::span<const std::uint8_t> peer_public) const {
  const GroupParams& params = *impl_->params;
  if (peer_public.size() != params.public_len) {
    return base::unexpected(Error{"peer public key has length " + std::to_string(peer_public.size()) +
                                  ", expected " + std::to_string(params.public_len)});
  }
  detail::EvpPkeyPtr peer;
  if (params.curve == nullptr) {
    peer.reset(EVP_PKEY_new_raw_public_key_ex(detail::libctx(), params.keytype, nullptr, peer_public.data(),
                                              peer_public.size()));
    if (!peer) {
      return base::unexpected(detail::openssl_error("peer X25519 key"));
    }
  } else {
    if (peer_public[0] != POINT_CONVERSION_UNCOMPRESSED) {
      return base::unexpected(Error{"peer EC point is not in uncompressed form"});
    }
    // Decoding the point (EC_POINT_oct2point) rejects points not on the curve;
    // for these prime-order curves that is the whole public-key validation, so
    // the costlier EVP_PKEY_public_check is skipped below (validate_peer = 0).
    peer.reset(EVP_PKEY_new());
    if (!peer || EVP_PKEY_copy_parameters(peer.get(), impl_->key.get()) != 1) {
      return base::unexpected(detail::openssl_error("peer EC key parameters"));
    }
    if (EVP_PKEY_set1_encoded_public_key(peer.get(), peer_public.data(), peer_public.size()) != 1) {
      detail::drain_openssl_errors();
      return base::unexpected(Error{"peer EC point is not on curve " + std::string(params.curve)});
    }
  }
  detail::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(detail::libctx(), impl_->key.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 0) != 1) {
    return base::unexpected(detail::openssl_error("ECDH derive setup"));
  }
  std::size_t length = 0;
  if (EVP_PKEY_derive(ctx.get(), nullptr, &length) != 1) {
    return base::unexpected(detail::openssl_error("ECDH size"));
  }
  SecretBytes secret(length);
  if (EVP_PKEY_derive(ctx.get(), secret.data(), &length) != 1) {
    detail::drain_openssl_errors();
    return base::unexpected(Error{"ECDH derivation failed (invalid peer public key)"});
  }
  secret.resize(length);
  // RFC 7748 §6.1 / RFC 8422 §5.11: an all-zero X25519 output means a small-order peer key.
  std::uint8_t accumulated = 0;
  for (const std::uint8_t b : secret) {
    accumulated = static_cast<std::uint8_t>(accumulated | b);
  }
  if (accumulated == 0) {
    return base::unexpected(Error{"ECDH produced an all-zero shared secret (small-order peer key)"});
  }
  return secret;
}

}  // namespace edgefetch::crypto
