#include "support/pki.hpp"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <system_error>

#include "support/scratch.hpp"
#include "support/unique_fd.hpp"

namespace edgefetch::support {
namespace {

// Bump when the set or shape of generated files changes: older caches are regenerated.
constexpr int kFormatVersion = 1;
// Leaves are valid from a day before generation: regenerate well before that margin matters.
constexpr std::time_t kMaxCacheAgeSeconds = 12 * 60 * 60;
constexpr long kDay = 24 * 60 * 60;

constexpr std::array kLeaves = {Leaf::rsa2048,     Leaf::ecdsa_p256,    Leaf::ecdsa_p384,
                                Leaf::ecdsa_p521,  Leaf::ed25519,       Leaf::rsa1024,
                                Leaf::expired,     Leaf::not_yet_valid, Leaf::wrong_name,
                                Leaf::self_signed, Leaf::unknown_ca,    Leaf::without_intermediate};

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct ExtFree {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

std::string openssl_errors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown libcrypto error" : out;
}

Pkey rsa_key(unsigned bits) {
  return Pkey(EVP_RSA_gen(bits));
}
Pkey ec_key(const char* curve) {
  return Pkey(EVP_EC_gen(curve));
}
Pkey ed25519_key() {
  return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
}

struct CertSpec {
  std::string common_name{};
  EVP_PKEY* key = nullptr;         // subject public key
  X509* issuer = nullptr;          // nullptr: self-signed
  EVP_PKEY* issuer_key = nullptr;  // signs the certificate
  long not_before = -kDay;         // seconds relative to generation time
  long not_after = 365 * kDay;
  bool ca = false;
  std::string subject_alt_names{};  // "DNS:origin.test,IP:127.0.0.1"; empty: none
  std::string key_usage{};
};

bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

Cert make_cert(const CertSpec& spec, std::time_t now) {
  Cert cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) return nullptr;

  std::array<unsigned char, 16> serial_bytes{};
  if (RAND_bytes(serial_bytes.data(), static_cast<int>(serial_bytes.size())) != 1) return nullptr;
  serial_bytes[0] &= 0x7F;  // positive
  std::unique_ptr<BIGNUM, BnFree> serial(
      BN_bin2bn(serial_bytes.data(), static_cast<int>(serial_bytes.size()), nullptr));
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr)
    return nullptr;

  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("edgefetch tests"), -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1,
                                 0) != 1) {
    return nullptr;
  }
  X509* issuer = spec.issuer != nullptr ? spec.issuer : cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)) != 1) return nullptr;
  if (ASN1_TIME_adj(X509_getm_notBefore(cert.get()), now, 0, spec.not_before) == nullptr ||
      ASN1_TIME_adj(X509_getm_notAfter(cert.get()), now, 0, spec.not_after) == nullptr) {
    return nullptr;
  }
  if (X509_set_pubkey(cert.get(), spec.key) != 1) return nullptr;

  const bool ok = add_extension(cert.get(), issuer, NID_basic_constraints,
                                spec.ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
                  add_extension(cert.get(), issuer, NID_key_usage, "critical," + spec.key_usage) &&
                  add_extension(cert.get(), issuer, NID_subject_key_identifier, "hash") &&
                  add_extension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always") &&
                  (spec.ca || add_extension(cert.get(), issuer, NID_ext_key_usage, "serverAuth")) &&
                  (spec.subject_alt_names.empty() ||
                   add_extension(cert.get(), issuer, NID_subject_alt_name, spec.subject_alt_names));
  if (!ok) return nullptr;

  const EVP_MD* digest = EVP_PKEY_get_id(spec.issuer_key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  if (X509_sign(cert.get(), spec.issuer_key, digest) <= 0) return nullptr;
  return cert;
}

bool write_pem(const std::filesystem::path& path, std::initializer_list<X509*> certs, EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "w"));
  if (!bio) return false;
  for (X509* cert : certs) {
    if (PEM_write_bio_X509(bio.get(), cert) != 1) return false;
  }
  if (key != nullptr &&
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return false;
  }
  return BIO_flush(bio.get()) == 1;
}

std::string leaf_key_usage(EVP_PKEY* key) {
  // keyEncipherment lets the RSA leaves serve RSA key exchange as well.
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA ? "digitalSignature,keyEncipherment" : "digitalSignature";
}

const char* jca_key_type(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
      return "RSA";
    case EVP_PKEY_EC:
      return "EC";
    case EVP_PKEY_ED25519:
      return "ED25519";
    default:
      return "UNKNOWN";
  }
}

std::string origin_names(std::string_view dns = kOriginName) {
  return "DNS:" + std::string(dns) + ",DNS:*.wild.test,IP:127.0.0.1";
}

std::filesystem::path leaf_path(const std::filesystem::path& dir, Leaf leaf, std::string_view suffix) {
  return dir / ("leaf-" + std::string(name(leaf)) + std::string(suffix));
}

// One generation of the cache: a directory with a stamp written last.
struct Stamp {
  int format = 0;
  std::time_t created = 0;
};

std::optional<Stamp> read_stamp(const std::filesystem::path& dir) {
  std::ifstream in(dir / "stamp");
  Stamp stamp;
  long long created = 0;
  if (!(in >> stamp.format >> created)) return std::nullopt;
  stamp.created = static_cast<std::time_t>(created);
  return stamp;
}

bool usable(const std::filesystem::path& dir, std::time_t now) {
  const auto stamp = read_stamp(dir);
  return stamp && stamp->format == kFormatVersion && now >= stamp->created &&
         now - stamp->created < kMaxCacheAgeSeconds;
}

std::filesystem::path pki_base_dir() {
  const char* env = std::getenv("EDGEFETCH_TEST_PKI_DIR");
  if (env != nullptr && *env != '\0') return env;
  return scratch_root() / "pki";
}

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "edgefetch test PKI: %s\n", message.c_str());
  std::abort();
}

// Finds or makes a fresh generation under `base`, holding an exclusive lock on
// base/lock so that parallel test processes generate it once.
std::filesystem::path prepare(const std::filesystem::path& base) {
  std::error_code ec;
  std::filesystem::create_directories(base, ec);
  if (ec) die("cannot create " + base.string() + ": " + ec.message());
  UniqueFd lock(::open((base / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!lock) die("cannot open lock file in " + base.string());
  while (::flock(lock.get(), LOCK_EX) != 0) {
    if (errno != EINTR) die("cannot lock " + (base / "lock").string());
  }

  const std::time_t now = std::time(nullptr);
  std::string current;
  std::ifstream(base / "current") >> current;
  if (!current.empty() && usable(base / current, now)) return base / current;

  const std::string generation = "gen-" + std::to_string(now) + "-" + std::to_string(::getpid());
  const std::filesystem::path dir = base / generation;
  std::filesystem::create_directories(dir, ec);
  if (ec) die("cannot create " + dir.string() + ": " + ec.message());
  std::string error;
  if (!TestPki::generate(dir, &error)) die(error);
  {
    std::ofstream out(base / "current.tmp", std::ios::trunc);
    out << generation << '\n';
    if (!out) die("cannot write " + (base / "current.tmp").string());
  }
  std::filesystem::rename(base / "current.tmp", base / "current", ec);
  if (ec) die("cannot publish " + dir.string() + ": " + ec.message());

  // Old generations: other processes may still read one for a while, so only
  // those well past their use are removed.
  for (std::filesystem::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
    const auto stamp = read_stamp(it->path());
    if (it->path().filename().string().starts_with("gen-") && it->path() != dir &&
        (!stamp || now - stamp->created > 3 * kDay)) {
      std::error_code ignored;
      std::filesystem::remove_all(it->path(), ignored);
    }
  }
  return dir;
}

}  // namespace

std::span<const Leaf> all_leaves() {
  return kLeaves;
}

std::string_view name(Leaf leaf) {
  switch (leaf) {
    case Leaf::rsa2048:
      return "rsa2048";
    case Leaf::ecdsa_p256:
      return "ecdsa-p256";
    case Leaf::ecdsa_p384:
      return "ecdsa-p384";
    case Leaf::ecdsa_p521:
      return "ecdsa-p521";
    case Leaf::ed25519:
      return "ed25519";
    case Leaf::rsa1024:
      return "rsa1024";
    case Leaf::expired:
      return "expired";
    case Leaf::not_yet_valid:
      return "not-yet-valid";
    case Leaf::wrong_name:
      return "wrong-name";
    case Leaf::self_signed:
      return "self-signed";
    case Leaf::unknown_ca:
      return "unknown-ca";
    case Leaf::without_intermediate:
      return "without-intermediate";
  }
  return "?";
}

LeafFiles TestPki::leaf(Leaf which) const {
  LeafFiles files;
  files.cert = leaf_path(dir_, which, ".pem");
  files.key = leaf_path(dir_, which, ".key");
  files.chain = leaf_path(dir_, which, ".chain.pem");
  if (std::filesystem::exists(leaf_path(dir_, which, ".intermediates.pem"))) {
    files.intermediates = leaf_path(dir_, which, ".intermediates.pem");
  }
  std::ifstream(leaf_path(dir_, which, ".type")) >> files.key_type;
  return files;
}

const TestPki& TestPki::get() {
  static const TestPki pki(prepare(pki_base_dir()));
  return pki;
}

bool TestPki::generate(const std::filesystem::path& dir, std::string* error) {
  auto fail = [&](const std::string& what) {
    if (error != nullptr) *error = what + ": " + openssl_errors();
    return false;
  };
  const std::time_t now = std::time(nullptr);

  Pkey root_key = rsa_key(2048);
  Pkey intermediate_key = rsa_key(2048);
  Pkey rsa2048 = rsa_key(2048);
  Pkey rsa1024 = rsa_key(1024);
  Pkey p256 = ec_key("P-256");
  Pkey p384 = ec_key("P-384");
  Pkey p521 = ec_key("P-521");
  Pkey ed25519 = ed25519_key();
  // The second CA only has to be different, not realistic: cheap EC keys.
  Pkey root2_key = ec_key("P-256");
  Pkey intermediate2_key = ec_key("P-256");
  if (!root_key || !intermediate_key || !rsa2048 || !rsa1024 || !p256 || !p384 || !p521 || !ed25519 ||
      !root2_key || !intermediate2_key) {
    return fail("key generation");
  }

  const std::string ca_usage = "keyCertSign,cRLSign";
  Cert root = make_cert({.common_name = "edgefetch test root CA",
                         .key = root_key.get(),
                         .issuer_key = root_key.get(),
                         .not_before = -2 * kDay,
                         .not_after = 3650 * kDay,
                         .ca = true,
                         .key_usage = ca_usage},
                        now);
  if (!root) return fail("root CA");
  Cert intermediate = make_cert({.common_name = "edgefetch test intermediate CA",
                                 .key = intermediate_key.get(),
                                 .issuer = root.get(),
                                 .issuer_key = root_key.get(),
                                 .not_before = -2 * kDay,
                                 .not_after = 3650 * kDay,
                                 .ca = true,
                                 .key_usage = ca_usage},
                                now);
  if (!intermediate) return fail("intermediate CA");
  Cert root2 = make_cert({.common_name = "edgefetch unknown root CA",
                          .key = root2_key.get(),
                          .issuer_key = root2_key.get(),
                          .not_before = -2 * kDay,
                          .not_after = 3650 * kDay,
                          .ca = true,
                          .key_usage = ca_usage},
                         now);
  Cert intermediate2 = make_cert({.common_name = "edgefetch unknown intermediate CA",
                                  .key = intermediate2_key.get(),
                                  .issuer = root2.get(),
                                  .issuer_key = root2_key.get(),
                                  .not_before = -2 * kDay,
                                  .not_after = 3650 * kDay,
                                  .ca = true,
                                  .key_usage = ca_usage},
                                 now);
  if (!root2 || !intermediate2) return fail("second CA");

  if (!write_pem(dir / "ca.pem", {root.get()}, nullptr) || !write_pem(dir / "ca.key", {}, root_key.get()) ||
      !write_pem(dir / "intermediate.pem", {intermediate.get()}, nullptr) ||
      !write_pem(dir / "intermediate.key", {}, intermediate_key.get()) ||
      !write_pem(dir / "ca2.pem", {root2.get()}, nullptr) ||
      !write_pem(dir / "ca2-intermediate.pem", {intermediate2.get()}, nullptr)) {
    return fail("writing CA files");
  }

  for (const Leaf leaf : kLeaves) {
    EVP_PKEY* key = rsa2048.get();
    X509* issuer = intermediate.get();
    EVP_PKEY* issuer_key = intermediate_key.get();
    CertSpec spec{.common_name = std::string(kOriginName), .subject_alt_names = origin_names()};
    bool chain_has_intermediate = true;
    switch (leaf) {
      case Leaf::ecdsa_p256:
        key = p256.get();
        break;
      case Leaf::ecdsa_p384:
        key = p384.get();
        break;
      case Leaf::ecdsa_p521:
        key = p521.get();
        break;
      case Leaf::ed25519:
        key = ed25519.get();
        break;
      case Leaf::rsa1024:
        key = rsa1024.get();
        break;
      case Leaf::expired:
        spec.not_before = -30 * kDay;
        spec.not_after = -kDay;
        break;
      case Leaf::not_yet_valid:
        spec.not_before = 10 * kDay;
        spec.not_after = 375 * kDay;
        break;
      case Leaf::wrong_name:
        spec.common_name = "other.test";
        spec.subject_alt_names = "DNS:other.test";
        break;
      case Leaf::self_signed:
        issuer = nullptr;
        issuer_key = rsa2048.get();
        chain_has_intermediate = false;
        break;
      case Leaf::unknown_ca:
        issuer = intermediate2.get();
        issuer_key = intermediate2_key.get();
        break;
      case Leaf::without_intermediate:
        chain_has_intermediate = false;
        break;
      case Leaf::rsa2048:
        break;
    }
    spec.key = key;
    spec.issuer = issuer;
    spec.issuer_key = issuer_key;
    spec.key_usage = leaf_key_usage(key);
    Cert cert = make_cert(spec, now);
    if (!cert) return fail("leaf " + std::string(name(leaf)));
    X509* chain_intermediate = leaf == Leaf::unknown_ca ? intermediate2.get() : intermediate.get();
    const bool written =
        write_pem(leaf_path(dir, leaf, ".pem"), {cert.get()}, nullptr) &&
        write_pem(leaf_path(dir, leaf, ".key"), {}, key) &&
        (chain_has_intermediate
             ? write_pem(leaf_path(dir, leaf, ".chain.pem"), {cert.get(), chain_intermediate}, nullptr) &&
                   write_pem(leaf_path(dir, leaf, ".intermediates.pem"), {chain_intermediate}, nullptr)
             : write_pem(leaf_path(dir, leaf, ".chain.pem"), {cert.get()}, nullptr));
    std::ofstream(leaf_path(dir, leaf, ".type")) << jca_key_type(key) << '\n';
    if (!written) return fail("writing leaf " + std::string(name(leaf)));
  }

  std::ofstream stamp(dir / "stamp", std::ios::trunc);
  stamp << kFormatVersion << ' ' << static_cast<long long>(now) << '\n';
  if (!stamp) {
    if (error != nullptr) *error = "cannot write " + (dir / "stamp").string();
    return false;
  }
  return true;
}

}  // namespace edgefetch::support
