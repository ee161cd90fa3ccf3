// Record framing: the reader's incremental parsing, limits and not-TLS
// detection; the writer's fragmentation and 1/n-1 splitting; the cipher
// state switch at ChangeCipherSpec.

#include <gtest/gtest.h>

#include "record_test_util.hpp"
#include "tls/record/reader.hpp"
#include "tls/record/writer.hpp"

namespace edgefetch::tls {
namespace {

using test::Bytes;

Bytes bytes_of(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

Bytes plain_record(ContentType type, std::uint16_t version, const Bytes& body) {
  Bytes out = {static_cast<std::uint8_t>(type), static_cast<std::uint8_t>(version >> 8),
               static_cast<std::uint8_t>(version), static_cast<std::uint8_t>(body.size() >> 8),
               static_cast<std::uint8_t>(body.size())};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

/// Reads every complete record now available; stops at the first error.
struct Drained {
  std::vector<std::pair<ContentType, Bytes>> records;
  std::optional<Error> error;
};
Drained drain(RecordReader& reader) {
  Drained d;
  while (true) {
    auto r = reader.next();
    if (!r) {
      d.error = r.error();
      return d;
    }
    if (!r.value()) return d;
    d.records.emplace_back(r.value()->type, Bytes(r.value()->fragment.begin(), r.value()->fragment.end()));
  }
}

TEST(RecordReader, ReadsRecordsFedByteByByte) {
  Bytes wire = plain_record(ContentType::handshake, 0x0303, bytes_of("hello"));
  const Bytes second = plain_record(ContentType::alert, 0x0303, Bytes{1, 0});
  wire.insert(wire.end(), second.begin(), second.end());
  RecordReader reader;
  std::vector<std::pair<ContentType, Bytes>> got;
  for (const std::uint8_t b : wire) {
    reader.feed(std::span(&b, 1));
    auto d = drain(reader);
    ASSERT_FALSE(d.error) << d.error->message;
    got.insert(got.end(), d.records.begin(), d.records.end());
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first, ContentType::handshake);
  EXPECT_EQ(got[0].second, bytes_of("hello"));
  EXPECT_EQ(got[1].first, ContentType::alert);
  EXPECT_EQ(reader.records_read(), 2u);
  EXPECT_FALSE(reader.has_partial_record());
  reader.feed(Bytes{22, 3});
  EXPECT_TRUE(reader.has_partial_record());
}

TEST(RecordReader, PlainHttpIsNotTls) {
  RecordReader reader;
  reader.feed(bytes_of("H"));  // decided on the first byte
  auto r = reader.next();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::not_tls);
  EXPECT_NE(r.error().message.find("plain HTTP"), std::string::npos) << r.error().message;

  RecordReader full;
  full.feed(bytes_of("HTTP/1.1 400 Bad Request\r\n\r\n"));
  auto r2 = full.next();
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().code, ErrorCode::not_tls);
  EXPECT_NE(r2.error().message.find("plain HTTP"), std::string::npos);
}

TEST(RecordReader, OtherGarbageIsNotTlsWithoutHttpClaim) {
  for (const Bytes& garbage : {bytes_of("SSH-2.0-OpenSSH"), Bytes{0x16, 0x02, 0x00}, Bytes{0x80, 0x2e, 0x01},
                               Bytes{0x18, 0x03, 0x03, 0, 1, 0}}) {
    RecordReader reader;
    reader.feed(garbage);
    auto r = reader.next();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::not_tls);
    EXPECT_EQ(r.error().message.find("HTTP"), std::string::npos) << r.error().message;
  }
}

TEST(RecordReader, UnknownTypeAfterFirstRecordIsProtocolViolation) {
  RecordReader reader;
  reader.feed(plain_record(ContentType::handshake, 0x0303, Bytes{1}));
  Bytes bad = plain_record(ContentType::handshake, 0x0303, Bytes{1});
  bad[0] = 0x18;  // heartbeat
  reader.feed(bad);
  auto d = drain(reader);
  ASSERT_EQ(d.records.size(), 1u);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, ErrorCode::protocol_violation);
}

TEST(RecordReader, ExpectedVersionIsEnforced) {
  RecordReader reader;
  reader.expect_version(0x0303);
  reader.feed(plain_record(ContentType::handshake, 0x0303, Bytes{1}));
  reader.feed(plain_record(ContentType::handshake, 0x0301, Bytes{1}));
  auto d = drain(reader);
  EXPECT_EQ(d.records.size(), 1u);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, ErrorCode::protocol_violation);
  EXPECT_NE(d.error->message.find("0x0301"), std::string::npos);
}

TEST(RecordReader, LengthLimits) {
  // Before encryption the fragment is plaintext: at most 2^14.
  RecordReader plain;
  Bytes header = {22, 3, 3, 0x40, 0x01};  // 16385
  plain.feed(header);
  auto r = plain.next();  // decided from the header alone
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::record_overflow);

  RecordReader exact;
  exact.feed(plain_record(ContentType::application_data, 0x0303, Bytes(kMaxPlaintextLength, 7)));
  auto d = drain(exact);
  ASSERT_FALSE(d.error);
  EXPECT_EQ(d.records.at(0).second.size(), kMaxPlaintextLength);

  // Encrypted: up to 2^14 + 2048 is accepted as a length, above is overflow.
  const auto* suite = policy::cipher_suite_by_code(0xC02F);
  const test::Cell cell{suite, policy::ProtocolVersion::tls1_2};
  const auto keys = test::key_block_for(cell);
  RecordReader enc;
  enc.set_pending(std::move(
      make_record_protection(cell.version, *suite, keys.client_write, ProtectionOperation::open).value()));
  ASSERT_TRUE(enc.activate_pending().has_value());
  enc.feed(Bytes{23, 3, 3, 0x48, 0x01});  // 18433
  auto r2 = enc.next();
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().code, ErrorCode::record_overflow);
  RecordReader enc2;
  enc2.set_pending(std::move(
      make_record_protection(cell.version, *suite, keys.client_write, ProtectionOperation::open).value()));
  ASSERT_TRUE(enc2.activate_pending().has_value());
  enc2.feed(Bytes{23, 3, 3, 0x48, 0x00});  // 18432: waits for the body
  auto r3 = enc2.next();
  ASSERT_TRUE(r3.has_value());
  EXPECT_FALSE(r3.value().has_value());
}

TEST(RecordReader, ActivateWithoutPendingFails) {
  RecordReader reader;
  auto r = reader.activate_pending();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::protocol_violation);
  RecordWriter writer;
  EXPECT_FALSE(writer.activate_pending().has_value());
}

// Writer on one side, reader on the other, switching protection at CCS in the
// middle of one buffer, as a real peer's flight arrives.
TEST(RecordLayer, WriterToReaderWithChangeCipherSpec) {
  for (const auto& cell : test::all_cells()) {
    SCOPED_TRACE(test::cell_name(cell));
    const auto keys = test::key_block_for(cell);
    const auto version = policy::wire(cell.version);
    RecordWriter writer;
    writer.set_version(version);
    writer.set_pending(std::move(
        make_record_protection(cell.version, *cell.suite, keys.client_write, ProtectionOperation::seal)
            .value()));
    RecordReader reader;
    reader.expect_version(version);
    reader.set_pending(std::move(
        make_record_protection(cell.version, *cell.suite, keys.client_write, ProtectionOperation::open)
            .value()));

    Bytes wire;
    ASSERT_TRUE(writer.write(ContentType::handshake, bytes_of("client key exchange"), wire).has_value());
    ASSERT_TRUE(writer.write(ContentType::change_cipher_spec, Bytes{1}, wire).has_value());
    ASSERT_TRUE(writer.activate_pending().has_value());
    EXPECT_TRUE(writer.encrypted());
    ASSERT_TRUE(writer.write(ContentType::handshake, bytes_of("finished"), wire).has_value());
    const Bytes big = test::random_bytes(40000);
    ASSERT_TRUE(writer.write(ContentType::application_data, big, wire).has_value());

    reader.feed(wire);
    std::vector<std::pair<ContentType, Bytes>> got;
    while (true) {
      auto r = reader.next();
      ASSERT_TRUE(r.has_value()) << r.error().message;
      if (!r.value()) break;
      got.emplace_back(r.value()->type, Bytes(r.value()->fragment.begin(), r.value()->fragment.end()));
      if (r.value()->type == ContentType::change_cipher_spec) {
        ASSERT_TRUE(reader.activate_pending().has_value());
      }
    }
    ASSERT_GE(got.size(), 6u);
    EXPECT_EQ(got[0].second, bytes_of("client key exchange"));
    EXPECT_EQ(got[1].first, ContentType::change_cipher_spec);
    EXPECT_EQ(got[2].second, bytes_of("finished"));
    Bytes app;
    std::vector<std::size_t> sizes;
    for (std::size_t i = 3; i < got.size(); ++i) {
      EXPECT_EQ(got[i].first, ContentType::application_data);
      EXPECT_LE(got[i].second.size(), kMaxPlaintextLength);
      sizes.push_back(got[i].second.size());
      app.insert(app.end(), got[i].second.begin(), got[i].second.end());
    }
    EXPECT_EQ(app, big);
    const bool split = policy::info(cell.suite->cipher).kind == policy::CipherKind::block &&
                       cell.version <= policy::ProtocolVersion::tls1_0;
    if (split) {
      // 1/n-1: one byte, then the rest in 2^14 fragments
      EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 16384, 16384, 7231}));
    } else {
      EXPECT_EQ(sizes, (std::vector<std::size_t>{16384, 16384, 7232}));
    }
  }
}

TEST(RecordLayer, TamperedRecordInStreamIsBadRecordMac) {
  const auto* suite = policy::cipher_suite_by_code(0x0004);  // RC4-MD5
  ASSERT_NE(suite, nullptr);
  for (const auto v :
       {policy::ProtocolVersion::ssl3, policy::ProtocolVersion::tls1_0, policy::ProtocolVersion::tls1_2}) {
    const test::Cell cell{suite, v};
    const auto keys = test::key_block_for(cell);
    RecordWriter writer;
    writer.set_version(policy::wire(v));
    writer.set_pending(
        std::move(make_record_protection(v, *suite, keys.client_write, ProtectionOperation::seal).value()));
    ASSERT_TRUE(writer.activate_pending().has_value());
    RecordReader reader;
    reader.set_pending(
        std::move(make_record_protection(v, *suite, keys.client_write, ProtectionOperation::open).value()));
    ASSERT_TRUE(reader.activate_pending().has_value());
    Bytes wire;
    ASSERT_TRUE(
        writer.write(ContentType::application_data, bytes_of("GET / HTTP/1.1\r\n"), wire).has_value());
    ASSERT_TRUE(
        writer.write(ContentType::application_data, bytes_of("Host: origin.test\r\n"), wire).has_value());
    const std::size_t first_len = 5 + ((wire[3] << 8) | wire[4]);
    wire[first_len + 7] ^= 0x20;  // a byte inside the second record's body
    reader.feed(wire);
    auto d = drain(reader);
    ASSERT_EQ(d.records.size(), 1u);
    ASSERT_TRUE(d.error);
    EXPECT_EQ(d.error->code, ErrorCode::bad_record_mac);
  }
}

TEST(RecordWriter, EmptyWriteWritesNothingAndHeaderCarriesVersion) {
  RecordWriter writer;
  Bytes out;
  ASSERT_TRUE(writer.write(ContentType::application_data, {}, out).has_value());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(writer.version(), 0x0301);
  ASSERT_TRUE(writer.write(ContentType::handshake, Bytes{1, 2, 3}, out).has_value());
  EXPECT_EQ(out, (Bytes{22, 3, 1, 0, 3, 1, 2, 3}));
}

}  // namespace
}  // namespace edgefetch::tls
