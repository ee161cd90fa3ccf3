// Key schedule known-answer tests against OpenSSL's libssl: a real TLS
// handshake between a libssl client and a libssl server runs in memory; from
// the observed bytes we recompute, with our code only,
//   - the (extended) master secret from the premaster secret (RSA key
//     exchange: decrypted here from the ClientKeyExchange with the server key)
//     and compare it with libssl's master key,
//   - the key block, by opening every encrypted record of both directions
//     (Finished and application data) with our record layer,
//   - both Finished verify_data values, compared with SSL_get_finished /
//     SSL_get_peer_finished.
// Versions: TLS 1.0, 1.1, 1.2 (what Debian's libssl still speaks).

#include <gtest/gtest.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>

#include <cctype>
#include <functional>

#include "edgefetch/crypto/prf.hpp"
#include "record_test_util.hpp"
#include "tls/record/reader.hpp"
#include "unit/crypto/mini_pki.hpp"

namespace edgefetch::tls {
namespace {

using test::Bytes;
namespace pki = crypto::test;

struct Message {
  bool from_client;
  Bytes bytes;  // with the 4-byte header
};

struct Capture {
  std::vector<Message> messages;
};

void on_message(int write_p, int /*version*/, int content_type, const void* buf, size_t len, SSL* /*ssl*/,
                void* arg) {
  if (content_type != SSL3_RT_HANDSHAKE) return;
  auto* capture = static_cast<Capture*>(arg);
  const auto* p = static_cast<const std::uint8_t*>(buf);
  capture->messages.push_back(Message{write_p == 1, Bytes(p, p + len)});
}

const pki::Key& server_key() {
  static const pki::Key key = pki::rsa_key(2048);
  return key;
}

struct Handshake {
  Bytes c2s, s2c;   // every byte each side sent
  Capture capture;  // client's view of handshake messages, in order
  Bytes client_random, server_random, master;
  Bytes client_finished, server_finished;
  bool ems = false;
  std::uint16_t suite_code = 0;
  int version = 0;
};

void move_bytes(BIO* from, BIO* to, Bytes& log) {
  std::uint8_t buffer[4096];
  int n = 0;
  while ((n = BIO_read(from, buffer, sizeof buffer)) > 0) {
    BIO_write(to, buffer, n);
    log.insert(log.end(), buffer, buffer + n);
  }
}

Handshake run_libssl(int version, const char* cipher, bool ems) {
  Handshake h;
  static const pki::Cert cert =
      pki::issue(pki::CertSpec{"origin.test", {"DNS:origin.test"}}, server_key(), nullptr, nullptr);
  SSL_CTX* sctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX* cctx = SSL_CTX_new(TLS_client_method());
  for (SSL_CTX* ctx : {sctx, cctx}) {
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, version);
    SSL_CTX_set_max_proto_version(ctx, version);
    EXPECT_EQ(SSL_CTX_set_cipher_list(ctx, (std::string(cipher) + ":@SECLEVEL=0").c_str()), 1);
    if (!ems) SSL_CTX_set_options(ctx, SSL_OP_NO_EXTENDED_MASTER_SECRET);
    // edgefetch does MAC-then-encrypt only (the CDN offers no encrypt_then_mac).
    SSL_CTX_set_options(ctx, SSL_OP_NO_ENCRYPT_THEN_MAC);
  }
  SSL_CTX_use_certificate(sctx, cert.get());
  SSL_CTX_use_PrivateKey(sctx, server_key().get());
  SSL* c = SSL_new(cctx);
  SSL* s = SSL_new(sctx);
  BIO* c_in = BIO_new(BIO_s_mem());
  BIO* c_out = BIO_new(BIO_s_mem());
  BIO* s_in = BIO_new(BIO_s_mem());
  BIO* s_out = BIO_new(BIO_s_mem());
  SSL_set_bio(c, c_in, c_out);
  SSL_set_bio(s, s_in, s_out);
  SSL_set_connect_state(c);
  SSL_set_accept_state(s);
  SSL_set_msg_callback(c, on_message);
  SSL_set_msg_callback_arg(c, &h.capture);
  for (int round = 0; round < 20 && !(SSL_is_init_finished(c) && SSL_is_init_finished(s)); ++round) {
    SSL_do_handshake(c);
    move_bytes(c_out, s_in, h.c2s);
    SSL_do_handshake(s);
    move_bytes(s_out, c_in, h.s2c);
  }
  EXPECT_TRUE(SSL_is_init_finished(c) && SSL_is_init_finished(s)) << cipher;
  const std::string ping = "ping from the client", pong = "pong from the server";
  SSL_write(c, ping.data(), static_cast<int>(ping.size()));
  move_bytes(c_out, s_in, h.c2s);
  char buffer[256];
  EXPECT_EQ(SSL_read(s, buffer, sizeof buffer), static_cast<int>(ping.size()));
  SSL_write(s, pong.data(), static_cast<int>(pong.size()));
  move_bytes(s_out, c_in, h.s2c);
  EXPECT_EQ(SSL_read(c, buffer, sizeof buffer), static_cast<int>(pong.size()));

  h.client_random.resize(32);
  h.server_random.resize(32);
  SSL_get_client_random(c, h.client_random.data(), 32);
  SSL_get_server_random(c, h.server_random.data(), 32);
  h.master.resize(48);
  h.master.resize(SSL_SESSION_get_master_key(SSL_get_session(c), h.master.data(), 48));
  h.client_finished.resize(64);
  h.client_finished.resize(SSL_get_finished(c, h.client_finished.data(), 64));
  h.server_finished.resize(64);
  h.server_finished.resize(SSL_get_peer_finished(c, h.server_finished.data(), 64));
  h.ems = SSL_get_extms_support(c) == 1;
  h.suite_code = static_cast<std::uint16_t>(SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(c)));
  h.version = SSL_version(c);
  SSL_free(c);
  SSL_free(s);
  SSL_CTX_free(cctx);
  SSL_CTX_free(sctx);
  return h;
}

// All records of one direction, through our reader with our keys.
struct Opened {
  Bytes finished_message;
  Bytes application_data;
  bool ok = true;
  std::string error;
};

Opened open_stream(const Bytes& wire, policy::ProtocolVersion version, const policy::CipherSuite& suite,
                   const TrafficKeys& keys) {
  Opened out;
  RecordReader reader;
  reader.set_pending(
      std::move(make_record_protection(version, suite, keys, ProtectionOperation::open).value()));
  reader.feed(wire);
  while (true) {
    auto r = reader.next();
    if (!r) {
      out.ok = false;
      out.error = r.error().message;
      return out;
    }
    if (!*r) return out;
    const RecordView& record = **r;
    if (record.type == ContentType::change_cipher_spec) {
      EXPECT_TRUE(reader.activate_pending().has_value());
    } else if (record.type == ContentType::handshake && reader.encrypted()) {
      out.finished_message.insert(out.finished_message.end(), record.fragment.begin(), record.fragment.end());
    } else if (record.type == ContentType::application_data) {
      out.application_data.insert(out.application_data.end(), record.fragment.begin(), record.fragment.end());
    }
  }
}

Bytes premaster_from(const Handshake& h) {
  for (const auto& m : h.capture.messages) {
    if (m.from_client && m.bytes[0] == 16) {  // ClientKeyExchange: header, 2-byte length, RSA ciphertext
      EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(server_key().get(), nullptr);
      EVP_PKEY_decrypt_init(ctx);
      EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
      Bytes out(256);
      std::size_t n = out.size();
      EXPECT_EQ(EVP_PKEY_decrypt(ctx, out.data(), &n, m.bytes.data() + 6, m.bytes.size() - 6), 1);
      EVP_PKEY_CTX_free(ctx);
      out.resize(n);
      return out;
    }
  }
  return {};
}

/// Transcript of the messages before the first one matching `stop` (exclusive),
/// or through it when `inclusive`.
Transcript transcript_until(const Handshake& h, policy::ProtocolVersion v, const policy::CipherSuite& suite,
                            const std::function<bool(const Message&)>& stop, bool inclusive) {
  Transcript t;
  for (const auto& m : h.capture.messages) {
    const bool is_stop = stop(m);
    if (is_stop && !inclusive) break;
    t.add(m.bytes);
    if (m.bytes[0] == 2) t.select(v, suite);  // after ServerHello, as the client does
    if (is_stop) break;
  }
  return t;
}

struct Case {
  int libssl_version;
  policy::ProtocolVersion version;
  const char* cipher;
  bool ems;
};

class LibsslKnownAnswer : public ::testing::TestWithParam<Case> {};

TEST_P(LibsslKnownAnswer, MasterSecretKeyBlockFinishedAndRecordsMatch) {
  const Case& c = GetParam();
  const Handshake h = run_libssl(c.libssl_version, c.cipher, c.ems);
  ASSERT_EQ(h.version, c.libssl_version);
  ASSERT_EQ(h.ems, c.ems);
  const auto* suite = policy::cipher_suite_by_code(h.suite_code);
  ASSERT_NE(suite, nullptr);
  ASSERT_EQ(h.master.size(), 48u);

  const auto is_cke = [](const Message& m) { return m.from_client && m.bytes[0] == 16; };
  const auto is_client_finished = [](const Message& m) { return m.from_client && m.bytes[0] == 20; };
  const auto is_server_finished = [](const Message& m) { return !m.from_client && m.bytes[0] == 20; };

  // Master secret, from the premaster secret (RSA key exchange only).
  if (suite->key_exchange == policy::KeyExchange::rsa) {
    const Bytes premaster = premaster_from(h);
    ASSERT_EQ(premaster.size(), 48u);
    base::Expected<crypto::SecretBytes, Error> master = base::unexpected(Error{});
    if (c.ems) {
      const Transcript through_cke = transcript_until(h, c.version, *suite, is_cke, true);
      master = compute_extended_master_secret(c.version, *suite, premaster, through_cke.current_hash());
    } else {
      master = compute_master_secret(c.version, *suite, premaster, h.client_random, h.server_random);
    }
    ASSERT_TRUE(master.has_value()) << master.error().message;
    EXPECT_EQ(Bytes(master->begin(), master->end()), h.master);
  }

  // Finished verify_data, both directions.
  const Transcript before_client_fin = transcript_until(h, c.version, *suite, is_client_finished, false);
  auto client_fin =
      compute_finished_verify_data(c.version, *suite, h.master, FinishedSender::client, before_client_fin);
  ASSERT_TRUE(client_fin.has_value());
  EXPECT_EQ(client_fin.value(), h.client_finished);
  const Transcript before_server_fin = transcript_until(h, c.version, *suite, is_server_finished, false);
  auto server_fin =
      compute_finished_verify_data(c.version, *suite, h.master, FinishedSender::server, before_server_fin);
  ASSERT_TRUE(server_fin.has_value());
  EXPECT_EQ(server_fin.value(), h.server_finished);

  // Key block: our keys open every encrypted record libssl wrote, both ways.
  auto keys = derive_key_block(c.version, *suite, h.master, h.client_random, h.server_random);
  ASSERT_TRUE(keys.has_value());
  const Opened c2s = open_stream(h.c2s, c.version, *suite, keys->client_write);
  ASSERT_TRUE(c2s.ok) << c2s.error;
  EXPECT_EQ(std::string(c2s.application_data.begin(), c2s.application_data.end()), "ping from the client");
  ASSERT_EQ(c2s.finished_message.size(), 16u);
  EXPECT_EQ(Bytes(c2s.finished_message.begin() + 4, c2s.finished_message.end()), h.client_finished);
  const Opened s2c = open_stream(h.s2c, c.version, *suite, keys->server_write);
  ASSERT_TRUE(s2c.ok) << s2c.error;
  EXPECT_EQ(std::string(s2c.application_data.begin(), s2c.application_data.end()), "pong from the server");
  // The server's encrypted handshake messages end with its Finished.
  ASSERT_GE(s2c.finished_message.size(), 16u);
  EXPECT_EQ(Bytes(s2c.finished_message.end() - 12, s2c.finished_message.end()), h.server_finished);
}

INSTANTIATE_TEST_SUITE_P(
    Versions, LibsslKnownAnswer,
    ::testing::Values(Case{TLS1_2_VERSION, policy::ProtocolVersion::tls1_2, "AES128-GCM-SHA256", true},
                      Case{TLS1_2_VERSION, policy::ProtocolVersion::tls1_2, "AES128-GCM-SHA256", false},
                      Case{TLS1_2_VERSION, policy::ProtocolVersion::tls1_2, "AES256-GCM-SHA384", true},
                      Case{TLS1_2_VERSION, policy::ProtocolVersion::tls1_2, "AES128-SHA", true},
                      Case{TLS1_2_VERSION, policy::ProtocolVersion::tls1_2, "AES128-SHA256", false},
                      Case{TLS1_2_VERSION, policy::ProtocolVersion::tls1_2, "ECDHE-RSA-AES256-SHA384", true},
                      Case{TLS1_2_VERSION, policy::ProtocolVersion::tls1_2, "ECDHE-RSA-AES256-GCM-SHA384",
                           true},
                      Case{TLS1_1_VERSION, policy::ProtocolVersion::tls1_1, "AES256-SHA", true},
                      Case{TLS1_1_VERSION, policy::ProtocolVersion::tls1_1, "ECDHE-RSA-AES128-SHA", false},
                      Case{TLS1_VERSION, policy::ProtocolVersion::tls1_0, "AES128-SHA", true},
                      Case{TLS1_VERSION, policy::ProtocolVersion::tls1_0, "AES256-SHA", false}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      std::string name = std::string(policy::info(param_info.param.version).openssl_name) + "_" +
                         param_info.param.cipher + (param_info.param.ems ? "_EMS" : "");
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(Transcript, BufferedThenIncrementalEqualsOneShot) {
  const auto* suite = policy::cipher_suite_by_code(0xC030);  // SHA-384 PRF
  ASSERT_NE(suite, nullptr);
  const Bytes a(100, 1), b(50, 2), c(70, 3);
  Transcript t;
  t.add(a);
  EXPECT_FALSE(t.selected());
  EXPECT_TRUE(t.current_hash().empty());
  t.add(b);
  t.select(policy::ProtocolVersion::tls1_2, *suite);
  t.add(c);
  Bytes all = a;
  all.insert(all.end(), b.begin(), b.end());
  all.insert(all.end(), c.begin(), c.end());
  EXPECT_EQ(t.current_hash(), crypto::digest(policy::HashAlgorithm::sha384, all));
  EXPECT_EQ(t.current_hash(), crypto::digest(policy::HashAlgorithm::sha384, all))
      << "current_hash must not consume";

  Transcript old;
  old.add(all);
  old.select(policy::ProtocolVersion::tls1_0, *suite);
  EXPECT_EQ(old.current_hash(), crypto::digest(policy::HashAlgorithm::md5_sha1, all));
}

TEST(KeySchedule, KeyBlockLayoutPerVersion) {
  const Bytes master(48, 9), cr(32, 1), sr(32, 2);
  struct Expect {
    std::uint16_t code;
    policy::ProtocolVersion version;
    std::size_t mac, key, iv;
  };
  for (const Expect e : {Expect{0xC02F, policy::ProtocolVersion::tls1_2, 0, 16, 4},
                         Expect{0xC030, policy::ProtocolVersion::tls1_2, 0, 32, 4},
                         Expect{0x002F, policy::ProtocolVersion::tls1_2, 20, 16, 0},
                         Expect{0x002F, policy::ProtocolVersion::tls1_1, 20, 16, 0},
                         Expect{0x002F, policy::ProtocolVersion::tls1_0, 20, 16, 16},
                         Expect{0x000A, policy::ProtocolVersion::ssl3, 20, 24, 8},
                         Expect{0xC028, policy::ProtocolVersion::tls1_2, 48, 32, 0},
                         Expect{0x0004, policy::ProtocolVersion::ssl3, 16, 16, 0}}) {
    const auto* suite = policy::cipher_suite_by_code(e.code);
    ASSERT_NE(suite, nullptr);
    auto kb = derive_key_block(e.version, *suite, master, cr, sr);
    ASSERT_TRUE(kb.has_value());
    EXPECT_EQ(kb->client_write.mac_key.size(), e.mac) << suite->openssl_name;
    EXPECT_EQ(kb->client_write.key.size(), e.key);
    EXPECT_EQ(kb->client_write.iv.size(), e.iv);
    EXPECT_EQ(kb->server_write.key.size(), e.key);
    EXPECT_NE(kb->client_write.key, kb->server_write.key);
  }
  // SSLv3 key block is the SSLv3 construction: first bytes = MD5(master + SHA1("A" + master + SR + CR)).
  const auto* des = policy::cipher_suite_by_code(0x000A);
  auto kb = derive_key_block(policy::ProtocolVersion::ssl3, *des, master, cr, sr);
  Bytes seed = sr;
  seed.insert(seed.end(), cr.begin(), cr.end());
  Bytes expected(104);
  ASSERT_TRUE(crypto::ssl3_prf(master, seed, expected).has_value());
  EXPECT_EQ(Bytes(kb->client_write.mac_key.begin(), kb->client_write.mac_key.end()),
            Bytes(expected.begin(), expected.begin() + 20));
  EXPECT_EQ(Bytes(kb->server_write.iv.begin(), kb->server_write.iv.end()),
            Bytes(expected.end() - 8, expected.end()));
  // EMS is not defined for SSLv3; randoms must be 32 bytes
  EXPECT_FALSE(compute_extended_master_secret(policy::ProtocolVersion::ssl3, *des, master, Bytes(36, 0)));
  EXPECT_FALSE(compute_master_secret(policy::ProtocolVersion::tls1_2, *des, master, Bytes(31, 0), sr));
}

TEST(KeySchedule, Ssl3FinishedIs36BytesAndDependsOnSender) {
  const auto* des = policy::cipher_suite_by_code(0x000A);
  Transcript t;
  t.add(Bytes(80, 7));
  t.select(policy::ProtocolVersion::ssl3, *des);
  const Bytes master(48, 3);
  auto client =
      compute_finished_verify_data(policy::ProtocolVersion::ssl3, *des, master, FinishedSender::client, t);
  auto server =
      compute_finished_verify_data(policy::ProtocolVersion::ssl3, *des, master, FinishedSender::server, t);
  ASSERT_TRUE(client && server);
  EXPECT_EQ(client->size(), 36u);
  EXPECT_NE(client.value(), server.value());
  crypto::HashContext md5(policy::HashAlgorithm::md5), sha1(policy::HashAlgorithm::sha1);
  md5.update(Bytes(80, 7));
  sha1.update(Bytes(80, 7));
  EXPECT_EQ(client.value(), crypto::ssl3_finished(md5, sha1, crypto::kSsl3SenderClient, master));
  Transcript unselected;
  EXPECT_FALSE(compute_finished_verify_data(policy::ProtocolVersion::tls1_2, *des, master,
                                            FinishedSender::client, unselected));
}

}  // namespace
}  // namespace edgefetch::tls
