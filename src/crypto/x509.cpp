#include "edgefetch/crypto/x509.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <climits>
#include <ctime>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>

#include "crypto/issuer_certificate_cache.hpp"
#include "crypto/library_context.hpp"
#include "crypto/openssl_util.hpp"
#include "edgefetch/crypto/library.hpp"

namespace edgefetch::crypto {

namespace {

using BioPtr = std::unique_ptr<BIO, detail::OpenSslDeleter<BIO_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, detail::OpenSslDeleter<GENERAL_NAMES_free>>;

X509* raw(void* p) {
  return static_cast<X509*>(p);
}
X509_STORE* raw_store(void* p) {
  return static_cast<X509_STORE*>(p);
}

std::string name_to_string(const X509_NAME* name) {
  if (name == nullptr) {
    return {};
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) {
    return {};
  }
  // RFC 2253 order (most specific first) but keep UTF-8 characters readable.
  if (X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return {};
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  if (length <= 0 || data == nullptr) {
    return {};
  }
  return {data, static_cast<std::size_t>(length)};
}

std::time_t asn1_time_to_time_t(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    return 0;
  }
  return timegm(&tm);
}

std::string iso8601(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buffer{};
  const std::size_t n = std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return {buffer.data(), n};
}

std::string asn1_string_text(const ASN1_STRING* s) {
  if (s == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
          static_cast<std::size_t>(ASN1_STRING_length(s))};
}

std::string ip_text(const ASN1_OCTET_STRING* ip) {
  const int length = ASN1_STRING_length(ip);
  const unsigned char* data = ASN1_STRING_get0_data(ip);
  std::array<char, INET6_ADDRSTRLEN> buffer{};
  if (length == 4 && inet_ntop(AF_INET, data, buffer.data(), buffer.size()) != nullptr) {
    return buffer.data();
  }
  if (length == 16 && inet_ntop(AF_INET6, data, buffer.data(), buffer.size()) != nullptr) {
    return buffer.data();
  }
  return "<invalid IP address>";
}

std::vector<std::string> subject_alt_names(X509* x509) {
  std::vector<std::string> out;
  GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x509, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) {
    return out;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    switch (name->type) {
      case GEN_DNS:
        out.push_back("DNS:" + asn1_string_text(name->d.dNSName));
        break;
      case GEN_IPADD:
        out.push_back("IP:" + ip_text(name->d.iPAddress));
        break;
      case GEN_EMAIL:
        out.push_back("email:" + asn1_string_text(name->d.rfc822Name));
        break;
      case GEN_URI:
        out.push_back("URI:" + asn1_string_text(name->d.uniformResourceIdentifier));
        break;
      default:
        break;
    }
  }
  return out;
}

std::string subject_of(X509* x509) {
  return name_to_string(X509_get_subject_name(x509));
}
std::string issuer_of(X509* x509) {
  return name_to_string(X509_get_issuer_name(x509));
}

bool is_ip_literal(const std::string& name) {
  std::array<unsigned char, 16> buffer{};
  return inet_pton(AF_INET, name.c_str(), buffer.data()) == 1 ||
         inet_pton(AF_INET6, name.c_str(), buffer.data()) == 1;
}

}  // namespace

long whole_days_until(std::time_t until, std::time_t now) {
  const auto seconds = static_cast<long long>(until) - static_cast<long long>(now);
  constexpr long long kDay = 86400;
  // floor division: one second past expiry is day -1
  const long long days = seconds >= 0 ? seconds / kDay : -((-seconds + kDay - 1) / kDay);
  return static_cast<long>(days);
}

long CertificateInfo::days_to_expiry(std::time_t now) const {
  return whole_days_until(not_after_time, now);
}

// ---- Certificate ----

Certificate::Certificate(void* x509) : x509_(x509) {}
Certificate::Certificate(const Certificate& other) : x509_(other.x509_) {
  if (x509_ != nullptr) {
    X509_up_ref(raw(x509_));
  }
}
Certificate& Certificate::operator=(const Certificate& other) {
  if (this != &other) {
    Certificate copy(other);
    *this = std::move(copy);
  }
  return *this;
}
Certificate::Certificate(Certificate&& other) noexcept : x509_(std::exchange(other.x509_, nullptr)) {}
Certificate& Certificate::operator=(Certificate&& other) noexcept {
  if (this != &other) {
    if (x509_ != nullptr) {
      X509_free(raw(x509_));
    }
    x509_ = std::exchange(other.x509_, nullptr);
  }
  return *this;
}
Certificate::~Certificate() {
  if (x509_ != nullptr) {
    X509_free(raw(x509_));
  }
}

base::Expected<Certificate, Error> Certificate::from_der(std::span<const std::uint8_t> der) {
  if (auto ready = initialize(); !ready) {
    return base::unexpected(ready.error());
  }
  if (der.empty() || der.size() > static_cast<std::size_t>(LONG_MAX)) {
    return base::unexpected(Error{"empty certificate"});
  }
  detail::X509Ptr x509(X509_new_ex(detail::libctx(), nullptr));
  if (!x509) {
    return base::unexpected(detail::openssl_error("X509_new_ex"));
  }
  X509* target = x509.get();
  const unsigned char* p = der.data();
  if (d2i_X509(&target, &p, static_cast<long>(der.size())) == nullptr) {
    // d2i frees *target on failure
    static_cast<void>(x509.release());
    return base::unexpected(detail::openssl_error("parsing certificate"));
  }
  if (p != der.data() + der.size()) {
    return base::unexpected(Error{"trailing bytes after certificate"});
  }
  return Certificate(x509.release());
}

base::Expected<std::vector<Certificate>, Error> Certificate::from_pem(std::string_view pem) {
  if (auto ready = initialize(); !ready) {
    return base::unexpected(ready.error());
  }
  if (pem.size() > static_cast<std::size_t>(INT_MAX)) {
    return base::unexpected(Error{"PEM text too large"});
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    return base::unexpected(detail::openssl_error("BIO_new_mem_buf"));
  }
  std::vector<Certificate> out;
  while (true) {
    char* type = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long length = 0;
    if (PEM_read_bio(bio.get(), &type, &header, &data, &length) != 1) {
      break;
    }
    const std::string block_type(type);
    std::vector<std::uint8_t> der(data, data + length);
    OPENSSL_free(type);
    OPENSSL_free(header);
    OPENSSL_free(data);
    if (block_type != PEM_STRING_X509 && block_type != PEM_STRING_X509_OLD) {
      continue;  // keys etc.
    }
    auto certificate = from_der(der);
    if (!certificate) {
      return base::unexpected(certificate.error());
    }
    out.push_back(std::move(certificate.value()));
  }
  const std::string reason = detail::drain_openssl_errors();
  if (out.empty()) {
    // OpenSSL reads the end of input without a block as "no start line": say what that means.
    if (reason.empty() || reason.find("no start line") != std::string::npos) {
      return base::unexpected(
          Error{"no PEM certificate found (no '-----BEGIN CERTIFICATE-----' block; a DER file converts with "
                "'openssl x509 -inform der -in FILE -out FILE.pem')"});
    }
    return base::unexpected(Error{"no PEM certificate found: " + reason});
  }
  return out;
}

CertificateInfo Certificate::info() const {
  CertificateInfo info;
  X509* x509 = raw(x509_);
  info.subject = subject_of(x509);
  info.issuer = issuer_of(x509);
  info.not_before_time = asn1_time_to_time_t(X509_get0_notBefore(x509));
  info.not_after_time = asn1_time_to_time_t(X509_get0_notAfter(x509));
  info.not_before = iso8601(info.not_before_time);
  info.not_after = iso8601(info.not_after_time);
  info.san = subject_alt_names(x509);
  info.is_ca = X509_check_ca(x509) > 0;
  const uint32_t flags = X509_get_extension_flags(x509);
  info.self_issued = (flags & EXFLAG_SI) != 0;
  if (auto key = public_key()) {
    info.key = key->description();
    info.key_type = key->type();
    info.key_bits = key->bits();
    if (key->type() == KeyType::ec) {
      info.key_curve = key->curve_name();
    }
  } else {
    info.key = "unknown";
  }
  const int signature_nid = X509_get_signature_nid(x509);
  if (signature_nid != NID_undef) info.signature_algorithm = OBJ_nid2ln(signature_nid);
  int digest_nid = NID_undef;
  if (OBJ_find_sigid_algs(signature_nid, &digest_nid, nullptr) == 1 && digest_nid != NID_undef) {
    info.signature_digest = OBJ_nid2sn(digest_nid);
  }
  return info;
}

base::Expected<PublicKey, Error> Certificate::public_key() const {
  EVP_PKEY* key = X509_get0_pubkey(raw(x509_));
  if (key == nullptr) {
    return base::unexpected(detail::openssl_error("decoding the certificate's public key"));
  }
  EVP_PKEY_up_ref(key);
  return PublicKey(key);
}

std::vector<std::uint8_t> Certificate::der() const {
  unsigned char* out = nullptr;
  const int length = i2d_X509(raw(x509_), &out);
  if (length <= 0 || out == nullptr) {
    return {};
  }
  std::vector<std::uint8_t> bytes(out, out + length);
  OPENSSL_free(out);
  return bytes;
}

// ---- TrustStore ----

namespace {
std::uint64_t next_store_id() {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}
}  // namespace

TrustStore::TrustStore()
    : store_(X509_STORE_new()), id_(next_store_id()), cache_(std::make_unique<VerifiedChainCache>()) {
  if (store_ == nullptr) {
    detail::fatal_libcrypto_failure("X509_STORE_new");
  }
}

TrustStore::~TrustStore() {
  X509_STORE_free(raw_store(store_));
}

base::Expected<std::shared_ptr<const TrustStore>, Error> TrustStore::system_default() {
  auto store = std::make_shared<TrustStore>();
  if (auto added = store->add_system_defaults(); !added) {
    return base::unexpected(added.error());
  }
  return std::shared_ptr<const TrustStore>(std::move(store));
}

base::Expected<std::shared_ptr<const TrustStore>, Error> TrustStore::from_pem_file(const std::string& path) {
  auto store = std::make_shared<TrustStore>();
  if (auto added = store->add_pem_file(path); !added) {
    return base::unexpected(added.error());
  }
  return std::shared_ptr<const TrustStore>(std::move(store));
}

base::Expected<void, Error> TrustStore::add_system_defaults() {
  if (auto ready = initialize(); !ready) {
    return ready;
  }
  if (X509_STORE_set_default_paths_ex(raw_store(store_), detail::libctx(), nullptr) != 1) {
    return base::unexpected(detail::openssl_error("loading the system CA certificates"));
  }
  detail::drain_openssl_errors();
  cache_->clear();
  return {};
}

base::Expected<void, Error> TrustStore::add_pem(std::string_view pem) {
  auto certificates = Certificate::from_pem(pem);
  if (!certificates) {
    return base::unexpected(certificates.error());
  }
  for (const auto& certificate : certificates.value()) {
    if (auto added = add(certificate); !added) {
      return added;
    }
  }
  return {};
}

base::Expected<void, Error> TrustStore::add_pem_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return base::unexpected(Error{"cannot open CA file '" + path + "'"});
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) {
    return base::unexpected(Error{"cannot read CA file '" + path + "'"});
  }
  const std::string text = contents.str();
  if (auto added = add_pem(text); !added) {
    return base::unexpected(added.error());  // the caller names the file
  }
  return {};
}

base::Expected<void, Error> TrustStore::add(const Certificate& certificate) {
  if (X509_STORE_add_cert(raw_store(store_), raw(certificate.x509())) != 1) {
    return base::unexpected(detail::openssl_error("adding a CA certificate"));
  }
  cache_->clear();
  return {};
}

// ---- verification ----

std::string_view kind_name(CertificateError::Kind kind) {
  switch (kind) {
    case CertificateError::Kind::untrusted:
      return "untrusted";
    case CertificateError::Kind::expired:
      return "expired";
    case CertificateError::Kind::not_yet_valid:
      return "not_yet_valid";
    case CertificateError::Kind::name_mismatch:
      return "name_mismatch";
    case CertificateError::Kind::incomplete_chain:
      return "incomplete_chain";
    case CertificateError::Kind::key_unsupported:
      return "key_unsupported";
    case CertificateError::Kind::invalid:
      return "invalid";
  }
  return "invalid";
}

namespace {

CertificateError make_error(CertificateError::Kind kind, std::string message) {
  CertificateError error;
  error.kind = kind;
  error.message = std::move(message);
  return error;
}

std::string quoted(const std::string& s) {
  return "'" + s + "'";
}

CertificateError chain_error(X509_STORE_CTX* ctx, X509* leaf) {
  const int code = X509_STORE_CTX_get_error(ctx);
  X509* current = X509_STORE_CTX_get_current_cert(ctx);
  if (current == nullptr) {
    current = leaf;
  }
  const std::string subject = subject_of(current);
  const std::string issuer = issuer_of(current);
  const char* reason = X509_verify_cert_error_string(code);
  using Kind = CertificateError::Kind;
  switch (code) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: {
      const uint32_t flags = X509_get_extension_flags(current);
      const bool self_issued = (flags & EXFLAG_SI) != 0;
      const bool is_ca = X509_check_ca(current) > 0;
      if (!is_ca && !self_issued) {
        // A server certificate whose issuer is neither sent nor trusted: the
        // usual cause is a server configured without its intermediate.
        auto error = make_error(Kind::incomplete_chain,
                                "the server did not send intermediate " + quoted(issuer) + " (issuer of " +
                                    quoted(subject) + "), and the trust store does not have it (if " +
                                    quoted(issuer) + " is a root, it is not a trusted one)");
        error.certificate_subject = subject;
        error.missing_issuer = issuer;
        return error;
      }
      auto error = make_error(Kind::untrusted, quoted(subject) + " is issued by " + quoted(issuer) +
                                                   ", which is not in the trust store");
      error.certificate_subject = subject;
      error.missing_issuer = issuer;
      return error;
    }
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return make_error(Kind::untrusted,
                        "self-signed certificate " + quoted(subject) + " is not in the trust store");
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return make_error(Kind::untrusted, "the chain ends in self-signed " + quoted(subject) +
                                             ", which is not in the trust store");
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
      return make_error(Kind::untrusted, quoted(subject) + ": " + reason);
    case X509_V_ERR_CERT_HAS_EXPIRED: {
      const std::string date = iso8601(asn1_time_to_time_t(X509_get0_notAfter(current)));
      auto error = make_error(Kind::expired, "certificate " + quoted(subject) + " expired on " + date);
      error.certificate_subject = subject;
      error.certificate_date = date;
      return error;
    }
    case X509_V_ERR_CERT_NOT_YET_VALID: {
      const std::string date = iso8601(asn1_time_to_time_t(X509_get0_notBefore(current)));
      auto error =
          make_error(Kind::not_yet_valid, "certificate " + quoted(subject) + " is not valid before " + date);
      error.certificate_subject = subject;
      error.certificate_date = date;
      return error;
    }
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL:
    case X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM:
      return make_error(Kind::key_unsupported, quoted(subject) + ": " + reason);
    default:
      break;
  }
  auto error = make_error(Kind::invalid, quoted(subject) + ": " + reason);
  error.certificate_subject = subject;
  error.purpose_refused = code == X509_V_ERR_INVALID_PURPOSE;
  return error;
}

// "a DSA 2048" but "an Ed25519", "an RSA 512": the article goes by how the
// first letter is spoken.
std::string with_article(const std::string& description) {
  const bool vowel_sound =
      !description.empty() &&
      std::string_view("AEFHILMNORSX").find(description.front()) != std::string_view::npos;
  return (vowel_sound ? "an " : "a ") + description;
}

std::optional<CertificateError> check_leaf_key(const PublicKey& key, const std::string& subject) {
  using Kind = CertificateError::Kind;
  switch (key.type()) {
    case KeyType::rsa:
    case KeyType::rsa_pss:  // RSASSA-PSS keys sign with rsa_pss_pss_* (TLS 1.2 and 1.3)
      if (key.bits() >= 1024) {
        return std::nullopt;
      }
      return make_error(Kind::key_unsupported, quoted(subject) + " has " + with_article(key.description()) +
                                                   " key; at least 1024 bits are needed");
    case KeyType::ec:
      if (key.curve_group()) {
        return std::nullopt;
      }
      return make_error(Kind::key_unsupported,
                        quoted(subject) + " has an EC key on unsupported curve " + key.curve_name());
    default:
      return make_error(Kind::key_unsupported, quoted(subject) + " has " + with_article(key.description()) +
                                                   " key, which TLS 1.2 and earlier cannot use here");
  }
}

}  // namespace

bool certificate_matches_name(const Certificate& leaf, std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  const std::string checked(name);
  auto* x509 = static_cast<X509*>(leaf.x509());
  int match = 0;
  if (is_ip_literal(checked)) {
    match = X509_check_ip_asc(x509, checked.c_str(), 0);
  } else if (!checked.empty() && checked.front() != '.' && checked.back() != '.' &&
             checked.find("..") == std::string::npos) {
    match =
        X509_check_host(x509, checked.data(), checked.size(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr);
  }
  detail::drain_openssl_errors();
  return match == 1;
}

base::Expected<VerifiedChain, CertificateError> verify_chain(std::span<const std::vector<std::uint8_t>> chain,
                                                             const TrustStore& store, std::string_view name,
                                                             std::time_t at) {
  using Kind = CertificateError::Kind;
  if (chain.empty()) {
    return base::unexpected(make_error(Kind::invalid, "the server sent no certificate"));
  }
  if (chain.size() > kMaxChainCertificates) {
    return base::unexpected(make_error(
        Kind::invalid, "the server sent " + std::to_string(chain.size()) +
                           " certificates; the CDN's TLS library (s2n) reads at most " +
                           std::to_string(kMaxChainCertificates) +
                           " and refuses a longer chain. Send the leaf and the intermediates up to the root, "
                           "without the root or certificates off that path"));
  }
  const std::time_t now = at != 0 ? at : std::time(nullptr);
  if (auto hit = store.cache().find(chain, name, now)) {
    return std::move(hit.value());
  }

  std::vector<Certificate> certificates;
  certificates.reserve(chain.size());
  for (std::size_t i = 0; i < chain.size(); ++i) {
    // The leaf is parsed afresh; issuers come from the parse cache (see issuer_certificate_cache.hpp).
    auto parsed =
        i == 0 ? Certificate::from_der(chain[i]) : detail::IssuerCertificateCache::instance().parse(chain[i]);
    if (!parsed) {
      return base::unexpected(make_error(
          Kind::invalid,
          "certificate " + std::to_string(i) + " of the chain cannot be parsed: " + parsed.error().message));
    }
    certificates.push_back(std::move(parsed.value()));
  }
  X509* leaf = raw(certificates.front().x509());

  detail::X509StackPtr untrusted(sk_X509_new_null());
  if (!untrusted) {
    return base::unexpected(make_error(Kind::invalid, "out of memory"));
  }
  for (std::size_t i = 1; i < certificates.size(); ++i) {
    if (sk_X509_push(untrusted.get(), raw(certificates[i].x509())) <= 0) {
      return base::unexpected(make_error(Kind::invalid, "out of memory"));
    }
    X509_up_ref(raw(certificates[i].x509()));
  }

  detail::X509StoreCtxPtr ctx(X509_STORE_CTX_new_ex(detail::libctx(), nullptr));
  if (!ctx || X509_STORE_CTX_init(ctx.get(), raw_store(store.x509_store()), leaf, untrusted.get()) != 1) {
    return base::unexpected(make_error(Kind::invalid, detail::openssl_error("X509_STORE_CTX_init").message));
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, now);
  // s2n limits the chain it builds to the same depth as the chain it reads.
  X509_VERIFY_PARAM_set_depth(param, static_cast<int>(kMaxChainCertificates));
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
  if (X509_verify_cert(ctx.get()) != 1) {
    auto error = chain_error(ctx.get(), leaf);
    detail::drain_openssl_errors();
    return base::unexpected(std::move(error));
  }

  const std::string checked(name);
  if (!checked.empty()) {
    if (!certificate_matches_name(certificates.front(), checked)) {
      auto names = subject_alt_names(leaf);
      if (names.empty()) {
        names.push_back(subject_of(leaf));
      }
      std::string list;
      for (const auto& n : names) {
        list += (list.empty() ? "" : ", ") + n;
      }
      auto error =
          make_error(Kind::name_mismatch, "certificate " + quoted(subject_of(leaf)) + " is not valid for " +
                                              quoted(checked) + " (it names " + list + ")");
      error.certificate_names = std::move(names);
      error.checked_name = checked;
      return base::unexpected(std::move(error));
    }
  }

  auto key = certificates.front().public_key();
  if (!key) {
    return base::unexpected(make_error(
        Kind::key_unsupported, "the server certificate's key cannot be decoded: " + key.error().message));
  }
  if (auto bad = check_leaf_key(key.value(), subject_of(leaf))) {
    return base::unexpected(std::move(*bad));
  }

  VerifiedChain result;
  result.leaf_key = std::make_shared<const PublicKey>(std::move(key.value()));
  result.leaf = std::make_shared<const CertificateInfo>(certificates.front().info());
  std::time_t valid_from = 0;
  std::time_t valid_until = std::numeric_limits<std::time_t>::max();
  STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; i < sk_X509_num(built); ++i) {
    X509* cert = sk_X509_value(built, i);
    result.chain_subjects.push_back(subject_of(cert));
    valid_from = std::max(valid_from, asn1_time_to_time_t(X509_get0_notBefore(cert)));
    valid_until = std::min(valid_until, asn1_time_to_time_t(X509_get0_notAfter(cert)));
  }
  store.cache().insert(chain, name, valid_from, valid_until, result);
  return result;
}

}  // namespace edgefetch::crypto
