#include "tls/record/protection.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string>

#include "edgefetch/crypto/cipher.hpp"
#include "edgefetch/crypto/constant_time.hpp"
#include "edgefetch/crypto/random.hpp"
#include "edgefetch/tls/alert_description.hpp"
#include "tls/record/record_mac.hpp"

namespace edgefetch::tls {

namespace {

using policy::ProtocolVersion;

Error make_error(ErrorCode code, std::uint8_t alert, std::string message) {
  Error error;
  error.code = code;
  error.alert_sender = AlertSender::client;
  error.alert = alert;
  error.message = std::move(message);
  return error;
}

// One error, one message, for every way a record can fail authentication: a
// padding oracle needs to tell them apart, so nothing here may.
Error bad_record_mac() {
  return make_error(ErrorCode::bad_record_mac, alert_description::kBadRecordMac,
                    "a record from the server failed authentication (bad_record_mac)");
}

Error internal(std::string message) {
  return make_error(ErrorCode::internal_error, alert_description::kInternalError,
                    "record protection: " + std::move(message));
}

Error overflow() {
  return make_error(ErrorCode::record_overflow, alert_description::kRecordOverflow,
                    "a record from the server decrypted to more than 2^14 bytes");
}

void put_u64(std::uint8_t* out, std::uint64_t value) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<std::uint8_t>(value);
    value >>= 8;
  }
}

// TLS 1.2 AEAD additional data: seq_num(8) type(1) version(2) length(2).
std::array<std::uint8_t, 13> aead_aad(std::uint64_t seq, ContentType type, std::uint16_t version,
                                      std::size_t length) {
  std::array<std::uint8_t, 13> aad{};
  put_u64(aad.data(), seq);
  aad[8] = static_cast<std::uint8_t>(type);
  aad[9] = static_cast<std::uint8_t>(version >> 8);
  aad[10] = static_cast<std::uint8_t>(version);
  aad[11] = static_cast<std::uint8_t>(length >> 8);
  aad[12] = static_cast<std::uint8_t>(length);
  return aad;
}

// ---- null ----

class NullProtection final : public RecordProtection {
 public:
  base::Expected<void, Error> seal(ContentType /*type*/, std::uint16_t /*version*/,
                                   std::span<const std::uint8_t> plaintext,
                                   std::vector<std::uint8_t>& out) override {
    if (auto advanced = next_sequence_number(); !advanced) return base::unexpected(advanced.error());
    out.insert(out.end(), plaintext.begin(), plaintext.end());
    return {};
  }
  base::Expected<std::span<std::uint8_t>, Error> open(ContentType /*type*/, std::uint16_t /*version*/,
                                                      std::span<std::uint8_t> fragment) override {
    if (auto advanced = next_sequence_number(); !advanced) return base::unexpected(advanced.error());
    if (fragment.size() > kMaxPlaintextLength) {
      return base::unexpected(overflow());
    }
    return fragment;
  }
  [[nodiscard]] std::size_t max_overhead() const override { return 0; }
  [[nodiscard]] bool is_null() const override { return true; }
};

// ---- AEAD (RFC 5288 GCM, RFC 7905 ChaCha20-Poly1305) ----

class AeadProtection final : public RecordProtection {
 public:
  AeadProtection(crypto::Aead aead, crypto::SecretBytes iv, std::size_t explicit_length)
      : aead_(std::move(aead)), iv_(std::move(iv)), explicit_length_(explicit_length) {}

  base::Expected<void, Error> seal(ContentType type, std::uint16_t version,
                                   std::span<const std::uint8_t> plaintext,
                                   std::vector<std::uint8_t>& out) override {
    const auto seq = next_sequence_number();
    if (!seq) return base::unexpected(seq.error());
    const auto nonce = make_nonce(*seq);
    if (explicit_length_ != 0) {
      // GCM: the explicit nonce is the sequence number (unique per key, as RFC 5288 requires).
      out.insert(out.end(), nonce.begin() + 4, nonce.end());
    }
    const auto aad = aead_aad(*seq, type, version, plaintext.size());
    if (auto sealed = aead_.seal(nonce, aad, plaintext, out); !sealed) {
      return base::unexpected(internal(sealed.error().message));
    }
    return {};
  }

  base::Expected<std::span<std::uint8_t>, Error> open(ContentType type, std::uint16_t version,
                                                      std::span<std::uint8_t> fragment) override {
    if (fragment.size() < explicit_length_ + crypto::Aead::kTagLength) {
      return base::unexpected(bad_record_mac());
    }
    std::uint64_t seq = sequence_number();
    std::array<std::uint8_t, 12> nonce{};
    if (explicit_length_ != 0) {
      std::copy_n(iv_.begin(), 4, nonce.begin());
      std::copy_n(fragment.begin(), 8, nonce.begin() + 4);
    } else {
      nonce = make_nonce(seq);
    }
    const std::span<std::uint8_t> body = fragment.subspan(explicit_length_);
    const std::size_t plaintext_length = body.size() - crypto::Aead::kTagLength;
    const auto aad = aead_aad(seq, type, version, plaintext_length);
    auto opened = aead_.open_in_place(nonce, aad, body);
    if (!opened) {
      return base::unexpected(bad_record_mac());
    }
    if (auto advanced = next_sequence_number(); !advanced) return base::unexpected(advanced.error());
    if (plaintext_length > kMaxPlaintextLength) {
      return base::unexpected(overflow());
    }
    return body.first(plaintext_length);
  }

  [[nodiscard]] std::size_t max_overhead() const override {
    return explicit_length_ + crypto::Aead::kTagLength;
  }

 private:
  std::array<std::uint8_t, 12> make_nonce(std::uint64_t seq) const {
    std::array<std::uint8_t, 12> nonce{};
    if (explicit_length_ != 0) {
      std::copy_n(iv_.begin(), 4, nonce.begin());
      put_u64(nonce.data() + 4, seq);
    } else {
      // RFC 7905: the 12-byte IV XOR the left-padded sequence number.
      std::copy_n(iv_.begin(), 12, nonce.begin());
      std::array<std::uint8_t, 8> seq_bytes{};
      put_u64(seq_bytes.data(), seq);
      for (std::size_t i = 0; i < 8; ++i) {
        nonce[4 + i] ^= seq_bytes[i];
      }
    }
    return nonce;
  }

  crypto::Aead aead_;
  crypto::SecretBytes iv_;
  std::size_t explicit_length_;
};

// ---- CBC, MAC-then-encrypt ----

class CbcProtection final : public RecordProtection {
 public:
  CbcProtection(crypto::BlockCipher cipher, detail::RecordMac mac, bool ssl3, bool explicit_iv,
                crypto::SecretBytes initial_iv)
      : cipher_(std::move(cipher)),
        mac_(std::move(mac)),
        ssl3_(ssl3),
        explicit_iv_(explicit_iv),
        chained_iv_(std::move(initial_iv)) {}

  base::Expected<void, Error> seal(ContentType type, std::uint16_t version,
                                   std::span<const std::uint8_t> plaintext,
                                   std::vector<std::uint8_t>& out) override {
    const auto seq = next_sequence_number();
    if (!seq) return base::unexpected(seq.error());
    const std::size_t block = cipher_.block_size();
    const std::size_t mac_length = mac_.length();
    const std::size_t start = out.size();
    std::array<std::uint8_t, 16> iv{};
    if (explicit_iv_) {
      // TLS 1.1/1.2: a fresh unpredictable IV per record, sent in clear.
      if (auto random = crypto::random_bytes(std::span(iv.data(), block)); !random) {
        return base::unexpected(internal(random.error().message));
      }
      out.insert(out.end(), iv.begin(), iv.begin() + static_cast<std::ptrdiff_t>(block));
    } else {
      std::copy_n(chained_iv_.begin(), block, iv.begin());
    }
    const std::size_t body_start = out.size();
    // Minimal padding: content || MAC || padding || padding_length fills whole blocks.
    const std::size_t unpadded = plaintext.size() + mac_length + 1;
    const std::size_t padding = (block - unpadded % block) % block;
    out.resize(body_start + unpadded + padding);
    std::uint8_t* body = out.data() + body_start;
    std::copy(plaintext.begin(), plaintext.end(), body);
    mac_.compute(*seq, type, version, plaintext, std::span(body + plaintext.size(), mac_length));
    // TLS requires every padding byte to equal the padding length; SSLv3 allows
    // any value, and this one satisfies both.
    std::fill_n(body + plaintext.size() + mac_length, padding + 1, static_cast<std::uint8_t>(padding));
    const std::span<std::uint8_t> body_span(body, unpadded + padding);
    if (auto done = cipher_.process(std::span(iv.data(), block), body_span, body_span); !done) {
      out.resize(start);
      return base::unexpected(internal(done.error().message));
    }
    if (!explicit_iv_) {
      chained_iv_.assign(body_span.end() - static_cast<std::ptrdiff_t>(block), body_span.end());
    }
    return {};
  }

  base::Expected<std::span<std::uint8_t>, Error> open(ContentType type, std::uint16_t version,
                                                      std::span<std::uint8_t> fragment) override {
    const std::size_t block = cipher_.block_size();
    const std::size_t mac_length = mac_.length();
    const std::size_t iv_length = explicit_iv_ ? block : 0;
    // Public checks first (the lengths are visible on the wire): whole blocks,
    // room for at least the MAC and the padding-length byte.
    const std::size_t min_body = ((mac_length + 1 + block - 1) / block) * block;
    if (fragment.size() < iv_length + min_body || (fragment.size() - iv_length) % block != 0) {
      return base::unexpected(bad_record_mac());
    }
    std::array<std::uint8_t, 16> iv{};
    if (explicit_iv_) {
      std::copy_n(fragment.begin(), block, iv.begin());
    } else {
      std::copy_n(chained_iv_.begin(), block, iv.begin());
    }
    const std::span<std::uint8_t> body = fragment.subspan(iv_length);
    std::array<std::uint8_t, 16> next_iv{};
    std::copy_n(body.end() - static_cast<std::ptrdiff_t>(block), block, next_iv.begin());
    if (auto done = cipher_.process(std::span(iv.data(), block), body, body); !done) {
      return base::unexpected(internal(done.error().message));
    }

    // ---- constant-time from here: nothing below branches on or indexes by
    // the padding length or the MAC position until the final verdict. ----
    const std::size_t n = body.size();
    const std::size_t padding = body[n - 1];
    // good: all-ones while the record still looks valid.
    std::size_t good = crypto::ct_ge_mask(n, padding + 1 + mac_length);
    if (ssl3_) {
      // SSLv3: padding bytes are arbitrary, but there must be less than a block of them.
      good &= crypto::ct_lt_mask(padding, block);
    } else {
      // TLS: each of the `padding` bytes before the length byte equals it.
      // Check the largest possible padding region (256 bytes or the whole body).
      const std::size_t to_check = n < 256 ? n : 256;
      for (std::size_t i = 1; i < to_check; ++i) {
        const std::size_t in_padding = crypto::ct_ge_mask(padding, i);  // i <= padding
        const std::size_t differs = ~crypto::ct_eq_mask(body[n - 1 - i], padding);
        good &= ~(in_padding & differs);
      }
    }
    // With bad padding, MAC the longest possible content (as if padding were 0);
    // the MAC check then fails with the same work as any other failure.
    const std::size_t removed = crypto::ct_select(good, padding + 1, 1) + mac_length;
    const std::size_t content_length = n - removed;
    const std::size_t max_content_length = n - 1 - mac_length;

    std::array<std::uint8_t, 64> computed{};
    mac_.compute_equalized(sequence_number(), type, version, body.first(content_length), max_content_length,
                           std::span(computed.data(), mac_length));
    std::array<std::uint8_t, 64> received{};
    extract_mac(body, content_length, mac_length, std::span(received.data(), mac_length));
    const bool mac_matches =
        crypto::ct_equal(std::span(computed.data(), mac_length), std::span(received.data(), mac_length));
    good &= static_cast<std::size_t>(0) - static_cast<std::size_t>(mac_matches);
    if (good == 0) {
      return base::unexpected(bad_record_mac());
    }
    // ---- end of the constant-time section ----

    if (auto advanced = next_sequence_number(); !advanced) return base::unexpected(advanced.error());
    if (!explicit_iv_) {
      chained_iv_.assign(next_iv.begin(), next_iv.begin() + static_cast<std::ptrdiff_t>(block));
    }
    if (content_length > kMaxPlaintextLength) {
      return base::unexpected(overflow());
    }
    return body.first(content_length);
  }

  [[nodiscard]] std::size_t max_overhead() const override {
    const std::size_t block = cipher_.block_size();
    return (explicit_iv_ ? block : 0) + mac_.length() + block;
  }
  [[nodiscard]] bool is_cbc() const override { return true; }

  /// Test hook (see protection.hpp).
  [[nodiscard]] std::uint64_t mac_compression_blocks() const override {
    return mac_.last_compression_blocks();
  }

 private:
  // Copies body[mac_start, mac_start + mac_length) to `out` without a memory
  // access pattern that depends on mac_start: every byte of the region where
  // the MAC can start is read, accumulated into a buffer rotated by a public
  // index, then rotated back with constant-time selects (the technique of
  // OpenSSL's ssl3_cbc_copy_mac, written anew).
  static void extract_mac(std::span<const std::uint8_t> body, std::size_t mac_start, std::size_t mac_length,
                          std::span<std::uint8_t> out) {
    const std::size_t n = body.size();
    const std::size_t mac_end = mac_start + mac_length;
    // The MAC starts at least 256 bytes (max padding + length byte) before the end.
    const std::size_t scan_start = n > mac_length + 256 ? n - mac_length - 256 : 0;
    std::array<std::uint8_t, 64> rotated{};
    std::size_t rotation = 0;
    std::size_t j = 0;
    for (std::size_t i = scan_start; i < n; ++i) {
      const std::size_t at_start = crypto::ct_eq_mask(i, mac_start);
      rotation |= j & at_start;
      const std::size_t in_mac = crypto::ct_ge_mask(i, mac_start) & crypto::ct_lt_mask(i, mac_end);
      rotated[j] = static_cast<std::uint8_t>(rotated[j] | (body[i] & crypto::ct_byte(in_mac)));
      ++j;
      if (j == mac_length) {
        j = 0;  // public loop counter
      }
    }
    for (std::size_t k = 0; k < mac_length; ++k) {
      std::size_t source = rotation + k;
      source -= mac_length & crypto::ct_ge_mask(source, mac_length);
      std::uint8_t value = 0;
      for (std::size_t r = 0; r < mac_length; ++r) {
        value =
            static_cast<std::uint8_t>(value | (rotated[r] & crypto::ct_byte(crypto::ct_eq_mask(r, source))));
      }
      out[k] = value;
    }
  }

  crypto::BlockCipher cipher_;
  detail::RecordMac mac_;
  bool ssl3_;
  bool explicit_iv_;
  crypto::SecretBytes chained_iv_;  // SSLv3/TLS 1.0: last ciphertext block of the previous record
};

// ---- stream (RC4) ----

class StreamProtection final : public RecordProtection {
 public:
  StreamProtection(crypto::StreamCipher cipher, detail::RecordMac mac)
      : cipher_(std::move(cipher)), mac_(std::move(mac)) {}

  base::Expected<void, Error> seal(ContentType type, std::uint16_t version,
                                   std::span<const std::uint8_t> plaintext,
                                   std::vector<std::uint8_t>& out) override {
    const auto seq = next_sequence_number();
    if (!seq) return base::unexpected(seq.error());
    const std::size_t start = out.size();
    const std::size_t mac_length = mac_.length();
    out.resize(start + plaintext.size() + mac_length);
    std::uint8_t* body = out.data() + start;
    std::copy(plaintext.begin(), plaintext.end(), body);
    mac_.compute(*seq, type, version, plaintext, std::span(body + plaintext.size(), mac_length));
    const std::span<std::uint8_t> body_span(body, plaintext.size() + mac_length);
    if (auto done = cipher_.process(body_span, body_span); !done) {
      out.resize(start);
      return base::unexpected(internal(done.error().message));
    }
    return {};
  }

  base::Expected<std::span<std::uint8_t>, Error> open(ContentType type, std::uint16_t version,
                                                      std::span<std::uint8_t> fragment) override {
    const std::size_t mac_length = mac_.length();
    // The keystream must advance over every byte even for a short record, but a
    // short record kills the connection anyway.
    if (auto done = cipher_.process(fragment, fragment); !done) {
      return base::unexpected(internal(done.error().message));
    }
    if (fragment.size() < mac_length) {
      return base::unexpected(bad_record_mac());
    }
    const std::size_t content_length = fragment.size() - mac_length;
    std::array<std::uint8_t, 64> computed{};
    mac_.compute(sequence_number(), type, version, fragment.first(content_length),
                 std::span(computed.data(), mac_length));
    if (!crypto::ct_equal(std::span(computed.data(), mac_length), fragment.subspan(content_length))) {
      return base::unexpected(bad_record_mac());
    }
    if (auto advanced = next_sequence_number(); !advanced) return base::unexpected(advanced.error());
    if (content_length > kMaxPlaintextLength) {
      return base::unexpected(overflow());
    }
    return fragment.first(content_length);
  }

  [[nodiscard]] std::size_t max_overhead() const override { return mac_.length(); }

 private:
  crypto::StreamCipher cipher_;
  detail::RecordMac mac_;
};

// The MAC of a CBC or stream suite (HMAC, or the SSLv3 MAC), once its key fits.
base::Expected<detail::RecordMac, Error> make_record_mac(const policy::CipherSuite& suite, bool ssl3,
                                                         const TrafficKeys& keys) {
  const auto& mac_info = policy::info(suite.mac);
  if (keys.mac_key.size() != mac_info.length) {
    return base::unexpected(internal("MAC key length"));
  }
  auto mac = detail::RecordMac::create(mac_info.hash, ssl3, keys.mac_key);
  if (!mac) {
    return base::unexpected(internal(mac.error().message));
  }
  return std::move(mac.value());
}

}  // namespace

Error RecordProtection::sequence_number_exhausted() {
  return internal("sequence number exhausted");
}

std::unique_ptr<RecordProtection> make_null_protection() {
  return std::make_unique<NullProtection>();
}

base::Expected<std::unique_ptr<RecordProtection>, Error> make_record_protection(
    ProtocolVersion version, const policy::CipherSuite& suite, const TrafficKeys& keys,
    ProtectionOperation operation) {
  if (version > ProtocolVersion::tls1_2 || version < ProtocolVersion::ssl3 || !suite.valid_in(version)) {
    return base::unexpected(
        internal(std::string(suite.openssl_name) + " cannot protect records in this version"));
  }
  const auto& cipher_info = policy::info(suite.cipher);
  const auto direction = operation == ProtectionOperation::seal ? crypto::CipherDirection::encrypt
                                                                : crypto::CipherDirection::decrypt;
  const bool ssl3 = version == ProtocolVersion::ssl3;
  if (keys.key.size() != cipher_info.key_length) {
    return base::unexpected(internal("key length does not fit the suite"));
  }

  switch (cipher_info.kind) {
    case policy::CipherKind::aead: {
      if (keys.iv.size() != cipher_info.fixed_iv_length) {
        return base::unexpected(internal("AEAD IV length"));
      }
      auto aead = crypto::Aead::create(suite.cipher, keys.key, direction);
      if (!aead) {
        return base::unexpected(internal(aead.error().message));
      }
      return std::unique_ptr<RecordProtection>(
          std::make_unique<AeadProtection>(std::move(aead.value()), keys.iv, cipher_info.record_iv_length));
    }
    case policy::CipherKind::block: {
      const bool explicit_iv = version >= ProtocolVersion::tls1_1;
      if (!explicit_iv && keys.iv.size() != cipher_info.block_size) {
        return base::unexpected(internal("CBC IV length"));
      }
      auto cipher = crypto::BlockCipher::create(suite.cipher, keys.key, direction);
      if (!cipher) {
        return base::unexpected(internal(cipher.error().message));
      }
      auto mac = make_record_mac(suite, ssl3, keys);
      if (!mac) return base::unexpected(mac.error());
      return std::unique_ptr<RecordProtection>(
          std::make_unique<CbcProtection>(std::move(cipher.value()), std::move(mac.value()), ssl3,
                                          explicit_iv, explicit_iv ? crypto::SecretBytes{} : keys.iv));
    }
    case policy::CipherKind::stream: {
      auto cipher = crypto::StreamCipher::create(suite.cipher, keys.key, direction);
      if (!cipher) {
        return base::unexpected(internal(cipher.error().message));
      }
      auto mac = make_record_mac(suite, ssl3, keys);
      if (!mac) return base::unexpected(mac.error());
      return std::unique_ptr<RecordProtection>(
          std::make_unique<StreamProtection>(std::move(cipher.value()), std::move(mac.value())));
    }
  }
  return base::unexpected(internal("unknown cipher kind"));
}

}  // namespace edgefetch::tls
