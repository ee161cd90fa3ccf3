#include "forged_server13.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstdio>
#include <memory>

#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/key_share.hpp"
#include "edgefetch/crypto/random.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "tls/codec/byte_writer.hpp"
#include "tls/messages/handshake_header.hpp"
#include "tls/tls13/certificate_verify13.hpp"
#include "tls/tls13/key_schedule.hpp"
#include "tls/tls13/own_client_hello.hpp"
#include "tls/tls13/record_protection.hpp"
#include "tls/tls13/server_hello13.hpp"

namespace edgefetch::tls::tls13::test {
namespace {

using Bytes = std::vector<std::uint8_t>;
struct FileClose {
  void operator()(FILE* f) const { std::fclose(f); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

std::vector<Bytes> read_chain_der(const std::filesystem::path& path) {
  std::vector<Bytes> out;
  std::unique_ptr<FILE, FileClose> file(std::fopen(path.c_str(), "r"));
  if (!file) return out;
  while (true) {
    std::unique_ptr<X509, X509Free> cert(PEM_read_X509(file.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    const int length = i2d_X509(cert.get(), nullptr);
    Bytes der(static_cast<std::size_t>(length));
    unsigned char* p = der.data();
    i2d_X509(cert.get(), &p);
    out.push_back(std::move(der));
  }
  return out;
}

Bytes sign(const std::filesystem::path& key_path, std::uint16_t scheme,
           std::span<const std::uint8_t> content) {
  std::unique_ptr<FILE, FileClose> file(std::fopen(key_path.c_str(), "r"));
  if (!file) return {};
  std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_PrivateKey(file.get(), nullptr, nullptr, nullptr));
  if (!key) return {};
  const char* md = (scheme == 0x0503 || scheme == 0x0805) ? "SHA384" : "SHA256";
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;
  if (EVP_DigestSignInit_ex(ctx.get(), &pkey_ctx, md, nullptr, nullptr, key.get(), nullptr) != 1) return {};
  if ((scheme & 0xFF00) == 0x0800) {
    EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, RSA_PSS_SALTLEN_DIGEST);
  }
  std::size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, content.data(), content.size()) != 1) return {};
  Bytes signature(length);
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, content.data(), content.size()) != 1) return {};
  signature.resize(length);
  return signature;
}

Bytes server_hello(const OwnClientHello& hello, const ForgeOptions& options, bool retry, std::uint16_t group,
                   std::span<const std::uint8_t> key) {
  codec::ByteWriter w;
  {
    auto header = messages::begin_handshake(w, messages::HandshakeType::server_hello);
    w.u16(0x0303);
    std::array<std::uint8_t, 32> random{};
    if (retry) {
      random = kHelloRetryRequestRandom;
    } else {
      (void)crypto::random_bytes(random);
    }
    w.bytes(random);
    w.u8_prefixed_bytes(options.echo_session_id ? std::span<const std::uint8_t>(hello.session_id)
                                                : std::span<const std::uint8_t>());
    w.u16(options.suite);
    w.u8(0);
    auto extensions = w.u16_prefixed();
    w.u16(extension13::kSupportedVersions);
    {
      auto body = w.u16_prefixed();
      w.u16(0x0304);
    }
    w.u16(extension13::kKeyShare);
    {
      auto body = w.u16_prefixed();
      w.u16(group);
      if (!retry) w.u16_prefixed_bytes(key);
    }
    if (retry && !options.retry_cookie.empty()) {
      w.u16(extension13::kCookie);
      auto body = w.u16_prefixed();
      w.u16_prefixed_bytes(options.retry_cookie);
    }
  }
  return w.take();
}

}  // namespace

ForgedFlight forge_server_flight(std::span<const std::uint8_t> client_hello, const ForgeOptions& options) {
  ForgedFlight out;
  auto hello = read_own_client_hello(client_hello);
  if (!hello || hello->key_shares.empty()) {
    out.failure = "cannot read the ClientHello";
    return out;
  }
  if (options.retry_group) {
    out.server_hello = server_hello(*hello, options, true, *options.retry_group, {});
    return out;
  }
  const auto& client_share = hello->key_shares.front();
  const std::uint16_t group = options.answer_group.value_or(client_share.group);
  auto share = crypto::KeyShare::generate(group);
  if (!share) {
    out.failure = "key share: " + share.error().message;
    return out;
  }
  out.server_hello = server_hello(*hello, options, false, group, share->public_key());
  const auto* suite = policy::cipher_suite_by_code(options.suite);
  if (suite == nullptr || suite->key_exchange != policy::KeyExchange::tls13 || group != client_share.group) {
    return out;  // the client must refuse at the ServerHello; nothing more is needed
  }
  auto shared = share->derive(client_share.key_exchange);
  auto schedule = KeySchedule13::create(*suite);
  if (!shared || !schedule) {
    out.failure = "key schedule";
    return out;
  }
  crypto::HashContext transcript(suite->prf_hash);
  transcript.update(client_hello);
  transcript.update(out.server_hello);
  if (!schedule->set_handshake_secrets(*shared, transcript.peek())) {
    out.failure = "handshake secrets";
    return out;
  }

  // EncryptedExtensions, Certificate, CertificateVerify, Finished.
  codec::ByteWriter ee;
  {
    auto header = messages::begin_handshake(ee, static_cast<messages::HandshakeType>(8));
    auto extensions = ee.u16_prefixed();
    ee.bytes(options.extra_encrypted_extension);
  }
  const auto files = support::TestPki::get().leaf(options.leaf);
  codec::ByteWriter certificate;
  {
    auto header = messages::begin_handshake(certificate, messages::HandshakeType::certificate);
    certificate.u8(0);
    auto list = certificate.u24_prefixed();
    for (const auto& der : read_chain_der(files.chain)) {
      certificate.u24_prefixed_bytes(der);
      certificate.u16(0);
    }
  }
  const Bytes ee_bytes = ee.take();
  const Bytes certificate_bytes = certificate.take();
  if (options.certificate_before_encrypted_extensions) {
    transcript.update(certificate_bytes);
    transcript.update(ee_bytes);
  } else {
    transcript.update(ee_bytes);
    transcript.update(certificate_bytes);
  }
  auto signature = sign(files.key, options.signature_scheme, server_signed_content(transcript.peek()));
  if (signature.empty()) {
    out.failure = "signing failed";
    return out;
  }
  if (options.corrupt_signature) signature[signature.size() / 2] ^= 0x01;
  codec::ByteWriter verify;
  {
    auto header = messages::begin_handshake(verify, messages::HandshakeType::certificate_verify);
    verify.u16(options.claimed_signature_scheme != 0 ? options.claimed_signature_scheme
                                                     : options.signature_scheme);
    verify.u16_prefixed_bytes(signature);
  }
  const Bytes verify_bytes = verify.take();
  transcript.update(verify_bytes);
  auto verify_data =
      finished_verify_data(suite->prf_hash, schedule->server_handshake_traffic_secret(), transcript.peek());
  if (!verify_data) {
    out.failure = "finished";
    return out;
  }
  if (options.corrupt_finished) (*verify_data)[0] ^= 0x01;
  const Bytes finished = messages::frame_handshake(messages::HandshakeType::finished, *verify_data);

  Bytes flight;
  for (const Bytes* part :
       options.certificate_before_encrypted_extensions
           ? std::vector<const Bytes*>{&certificate_bytes, &ee_bytes, &verify_bytes, &finished}
           : std::vector<const Bytes*>{&ee_bytes, &certificate_bytes, &verify_bytes, &finished}) {
    flight.insert(flight.end(), part->begin(), part->end());
  }
  auto protection = RecordProtection13::from_secret(*suite, schedule->server_handshake_traffic_secret(),
                                                    RecordProtection13::Direction::seal);
  if (!protection) {
    out.failure = "record protection";
    return out;
  }
  out.records = {20, 3, 3, 0, 1, 1};  // the middlebox-compatibility ChangeCipherSpec
  for (std::size_t offset = 0; offset < flight.size(); offset += 16384) {
    const std::size_t n = std::min<std::size_t>(16384, flight.size() - offset);
    if (!protection->seal(ContentType::handshake, std::span(flight).subspan(offset, n), out.records)) {
      out.failure = "seal";
      return out;
    }
  }
  return out;
}

}  // namespace edgefetch::tls::tls13::test
