// Lucky Thirteen countermeasures in CBC record decryption, checked on records
// crafted here with chosen padding lengths and contents:
//
//  1. Padding failures and MAC failures produce the identical Error (code,
//     alert, sender and message): no padding oracle through error values.
//  2. Operation count: the number of hash compression-function blocks run for
//     the MAC check (RecordProtection::mac_compression_blocks(), counted from
//     the bytes actually handed to the hash functions plus the equalising
//     dummy blocks) is the same for every padding length and for every kind
//     of failure, for a given record length. Without the equaliser a record
//     with 255 bytes of padding would hash 4 (SHA-1/256) fewer blocks than one
//     with no padding, and this test would fail.
//  The remaining work in CbcProtection::open is independent of secrets by
//  construction: the cipher runs over the whole (public-length) record, the
//  padding check always scans min(256, length) bytes, and the MAC extraction
//  scans the last mac+256 bytes and rotates with masks.

#include <gtest/gtest.h>

#include "edgefetch/crypto/cipher.hpp"
#include "edgefetch/crypto/hmac.hpp"
#include "edgefetch/crypto/prf.hpp"
#include "record_test_util.hpp"

namespace edgefetch::tls {
namespace {

using test::Bytes;
using test::Cell;

struct Crafted {
  const Cell cell;
  KeyBlock keys;

  std::size_t block() const { return policy::info(cell.suite->cipher).block_size; }
  std::size_t mac_length() const { return policy::info(cell.suite->mac).length; }
  bool ssl3() const { return cell.version == policy::ProtocolVersion::ssl3; }
  bool explicit_iv() const { return cell.version >= policy::ProtocolVersion::tls1_1; }

  Bytes mac(std::uint64_t seq, ContentType type, std::uint16_t version, const Bytes& content) const {
    Bytes header;
    for (int shift = 56; shift >= 0; shift -= 8) header.push_back(static_cast<std::uint8_t>(seq >> shift));
    header.push_back(static_cast<std::uint8_t>(type));
    if (!ssl3()) {
      header.push_back(static_cast<std::uint8_t>(version >> 8));
      header.push_back(static_cast<std::uint8_t>(version));
    }
    header.push_back(static_cast<std::uint8_t>(content.size() >> 8));
    header.push_back(static_cast<std::uint8_t>(content.size()));
    const auto hash = policy::info(cell.suite->mac).hash;
    Bytes out(mac_length());
    if (ssl3()) {
      auto m = crypto::Ssl3Mac::create(hash, keys.client_write.mac_key);
      m->update(header);
      m->update(content);
      m->finish(out);
    } else {
      auto m = crypto::Hmac::create(hash, keys.client_write.mac_key);
      m->update(header);
      m->update(content);
      m->finish(out);
    }
    return out;
  }

  /// A record (explicit IV || ciphertext) of content, MAC and `padding` padding bytes,
  /// optionally corrupted before encryption. Sequence number 0.
  Bytes record(const Bytes& content, std::size_t padding, bool corrupt_mac, bool corrupt_padding) const {
    const auto version = policy::wire(cell.version);
    Bytes body = content;
    Bytes m = mac(0, ContentType::application_data, version, content);
    if (corrupt_mac) m[m.size() / 2] ^= 0x01;
    body.insert(body.end(), m.begin(), m.end());
    for (std::size_t i = 0; i <= padding; ++i) body.push_back(static_cast<std::uint8_t>(padding));
    if (corrupt_padding) body[body.size() - 1 - padding] ^= 0x01;  // the first padding byte
    EXPECT_EQ(body.size() % block(), 0u);
    Bytes iv = explicit_iv() ? test::random_bytes(block())
                             : Bytes(keys.client_write.iv.begin(), keys.client_write.iv.end());
    auto cipher = crypto::BlockCipher::create(cell.suite->cipher, keys.client_write.key,
                                              crypto::CipherDirection::encrypt);
    EXPECT_TRUE(cipher.has_value());
    EXPECT_TRUE(cipher->process(iv, body, body).has_value());
    Bytes out = explicit_iv() ? iv : Bytes{};
    out.insert(out.end(), body.begin(), body.end());
    return out;
  }

  struct Outcome {
    bool ok;
    Error error;
    std::size_t plaintext_length;
    std::uint64_t blocks;
  };

  Outcome open(Bytes record) const {
    auto opener =
        make_record_protection(cell.version, *cell.suite, keys.client_write, ProtectionOperation::open);
    EXPECT_TRUE(opener.has_value());
    auto r = opener.value()->open(ContentType::application_data, policy::wire(cell.version), record);
    Outcome outcome{r.has_value(), r ? Error{} : r.error(), r ? r->size() : 0,
                    opener.value()->mac_compression_blocks()};
    return outcome;
  }
};

std::vector<Cell> cbc_cells() {
  std::vector<Cell> cells;
  for (const auto& cell : test::all_cells()) {
    if (policy::info(cell.suite->cipher).kind == policy::CipherKind::block) cells.push_back(cell);
  }
  return cells;
}

TEST(CbcConstantTime, PaddingAndMacFailuresAreIndistinguishableAndCostTheSame) {
  const auto cells = cbc_cells();
  ASSERT_GE(cells.size(), 20u);
  for (const Cell& cell : cells) {
    SCOPED_TRACE(test::cell_name(cell));
    const Crafted c{cell, test::key_block_for(cell)};
    const std::size_t block = c.block();
    // The largest legal padding: 255 in TLS (any multiple fitting the block
    // size), below one block in SSLv3.
    const std::size_t max_padding = c.ssl3() ? block - 1 : 255;
    // Body length: room for max padding + MAC + some content, whole blocks.
    std::size_t body = 300 + c.mac_length() + 1;
    body = (body + block - 1) / block * block;
    const std::size_t content_max = body - c.mac_length() - 1;  // padding 0

    const Bytes long_content = test::random_bytes(content_max);
    const Bytes short_content(long_content.begin(),
                              long_content.end() - static_cast<std::ptrdiff_t>(max_padding));

    const auto no_padding = c.open(c.record(long_content, 0, false, false));
    const auto full_padding = c.open(c.record(short_content, max_padding, false, false));
    const auto bad_mac = c.open(c.record(long_content, 0, true, false));
    const auto bad_mac_padded = c.open(c.record(short_content, max_padding, true, false));

    ASSERT_TRUE(no_padding.ok) << no_padding.error.message;
    ASSERT_TRUE(full_padding.ok) << full_padding.error.message;
    EXPECT_EQ(no_padding.plaintext_length, content_max);
    EXPECT_EQ(full_padding.plaintext_length, content_max - max_padding);
    ASSERT_FALSE(bad_mac.ok);
    ASSERT_FALSE(bad_mac_padded.ok);

    std::vector<Crafted::Outcome> failures = {bad_mac, bad_mac_padded};
    if (!c.ssl3()) {
      // TLS: a wrong padding byte. (SSLv3 padding content is arbitrary by definition.)
      failures.push_back(c.open(c.record(short_content, max_padding, false, true)));
      ASSERT_FALSE(failures.back().ok) << "corrupted padding accepted";
    }
    // Padding length byte larger than the record can hold.
    {
      // content || MAC || 0xFF...: a padding length of 255 in a record far too short for it.
      const Bytes content = test::random_bytes(block - 1);
      Bytes raw = content;
      const Bytes m = c.mac(0, ContentType::application_data, policy::wire(cell.version), content);
      raw.insert(raw.end(), m.begin(), m.end());
      while ((raw.size() + 1) % block != 0) raw.push_back(0xFF);
      raw.push_back(0xFF);
      Bytes iv = c.explicit_iv() ? test::random_bytes(block)
                                 : Bytes(c.keys.client_write.iv.begin(), c.keys.client_write.iv.end());
      auto cipher = crypto::BlockCipher::create(cell.suite->cipher, c.keys.client_write.key,
                                                crypto::CipherDirection::encrypt);
      ASSERT_TRUE(cipher->process(iv, raw, raw).has_value());
      Bytes out = c.explicit_iv() ? iv : Bytes{};
      out.insert(out.end(), raw.begin(), raw.end());
      const auto oversized = c.open(out);
      ASSERT_FALSE(oversized.ok);
      EXPECT_EQ(oversized.error.code, ErrorCode::bad_record_mac);
      EXPECT_EQ(oversized.error.message, bad_mac.error.message);
      EXPECT_EQ(oversized.error.alert, bad_mac.error.alert);
    }

    for (const auto& f : failures) {
      EXPECT_EQ(f.error.code, ErrorCode::bad_record_mac);
      EXPECT_EQ(f.error.code, bad_mac.error.code);
      EXPECT_EQ(f.error.alert, bad_mac.error.alert);
      EXPECT_EQ(f.error.alert_sender, bad_mac.error.alert_sender);
      EXPECT_EQ(f.error.message, bad_mac.error.message);
    }
    // Operation count: identical for every padding length and every failure.
    EXPECT_GT(no_padding.blocks, 0u);
    EXPECT_EQ(full_padding.blocks, no_padding.blocks);
    for (const auto& f : failures) EXPECT_EQ(f.blocks, no_padding.blocks);
  }
}

TEST(CbcConstantTime, EveryPaddingLengthCostsTheSame) {
  // AES-128-CBC-SHA256 in TLS 1.2: all 16 padding lengths that fit 0..255 in steps of the block size and
  // each small one, same record length, same block count.
  const auto* suite = policy::cipher_suite_by_code(0x003C);
  ASSERT_NE(suite, nullptr);
  const Cell cell{suite, policy::ProtocolVersion::tls1_2};
  const Crafted c{cell, test::key_block_for(cell)};
  const std::size_t body = 512;
  std::optional<std::uint64_t> blocks;
  for (std::size_t padding = 0; padding < 256; ++padding) {
    const std::size_t content = body - c.mac_length() - 1 - padding;
    if ((content + c.mac_length() + padding + 1) % 16 != 0) continue;
    const auto outcome = c.open(c.record(test::random_bytes(content), padding, false, false));
    ASSERT_TRUE(outcome.ok) << padding;
    if (!blocks) blocks = outcome.blocks;
    EXPECT_EQ(outcome.blocks, *blocks) << "padding " << padding;
  }
}

}  // namespace
}  // namespace edgefetch::tls
