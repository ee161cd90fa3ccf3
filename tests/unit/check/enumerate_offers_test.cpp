// The pure parts of enumeration: the offers per version, reading a version
// probe's answer, what ends an elimination.

#include "check/enumerate_offers.hpp"

#include <gtest/gtest.h>

#include "edgefetch/policy/named_group.hpp"

namespace edgefetch::check::detail {
namespace {

using policy::ProtocolVersion;

ProbeResult server_hello(std::uint16_t version, std::uint16_t suite) {
  ProbeResult r;
  r.outcome = ProbeOutcome::server_hello;
  r.version = version;
  r.server_hello_version = version;
  r.cipher_suite = suite;
  return r;
}

TEST(EnumerateOffers, OfferShapesPerVersion) {
  const ProbeOffer ssl3 = offer_for_version(ProtocolVersion::ssl3, {0x000A}, ReadDepth::certificate);
  EXPECT_EQ(ssl3.record_version, 0x0300);
  EXPECT_EQ(ssl3.client_version, 0x0300);
  EXPECT_TRUE(ssl3.signature_schemes.empty());
  EXPECT_TRUE(ssl3.supported_versions.empty());
  EXPECT_EQ(ssl3.depth, ReadDepth::certificate);

  const ProbeOffer tls11 = offer_for_version(ProtocolVersion::tls1_1, {0x002F}, ReadDepth::server_hello);
  EXPECT_EQ(tls11.record_version, 0x0301);
  EXPECT_EQ(tls11.client_version, 0x0302);
  EXPECT_TRUE(tls11.signature_schemes.empty());

  const ProbeOffer tls12 = offer_for_version(ProtocolVersion::tls1_2, {0xC02F}, ReadDepth::server_hello);
  EXPECT_EQ(tls12.client_version, 0x0303);
  EXPECT_FALSE(tls12.signature_schemes.empty());
  EXPECT_TRUE(tls12.renegotiation_scsv);
  EXPECT_EQ(tls12.cipher_suites, std::vector<std::uint16_t>{0xC02F});

  const ProbeOffer tls13 = offer_for_version(ProtocolVersion::tls1_3, {0x1301}, ReadDepth::server_hello);
  EXPECT_EQ(tls13.client_version, 0x0303);
  EXPECT_EQ(tls13.supported_versions, std::vector<std::uint16_t>{0x0304});
  EXPECT_EQ(tls13.key_share_groups, std::vector<std::uint16_t>{policy::kGroupX25519});
  EXPECT_FALSE(tls13.renegotiation_scsv);
}

TEST(EnumerateOffers, AcceptedVersionTakesTheFirstSuite) {
  VersionSupport support;
  support.version = ProtocolVersion::tls1_2;
  const std::vector<std::uint16_t> offered = {0xC02F, 0x002F};
  classify_version_probe(server_hello(0x0303, 0x002F), offered, support);
  EXPECT_TRUE(support.accepted);
  EXPECT_EQ(support.refusal, Refusal::none);
  EXPECT_EQ(support.cipher_suites, std::vector<std::uint16_t>{0x002F});
  EXPECT_TRUE(support.complete);
}

TEST(EnumerateOffers, UnofferedSuiteIsNotListed) {
  VersionSupport support;
  support.version = ProtocolVersion::tls1_2;
  const std::vector<std::uint16_t> offered = {0xC02F};
  classify_version_probe(server_hello(0x0303, 0xCCA8), offered, support);
  EXPECT_TRUE(support.accepted);
  EXPECT_TRUE(support.cipher_suites.empty());
  EXPECT_FALSE(support.complete);
  EXPECT_NE(support.detail.find("0xCCA8"), std::string::npos) << support.detail;
}

TEST(EnumerateOffers, LowerVersionAnswerIsARefusal) {
  VersionSupport support;
  support.version = ProtocolVersion::tls1_2;
  const std::vector<std::uint16_t> offered = {0x002F};
  classify_version_probe(server_hello(0x0300, 0x002F), offered, support);
  EXPECT_FALSE(support.accepted);
  EXPECT_EQ(support.refusal, Refusal::lower_version);
  EXPECT_EQ(support.answered_version, 0x0300);
  EXPECT_NE(support.detail.find("SSL 3.0"), std::string::npos) << support.detail;
  EXPECT_TRUE(support.cipher_suites.empty());
}

TEST(EnumerateOffers, HigherVersionThanOfferedIsMalformed) {
  VersionSupport support;
  support.version = ProtocolVersion::tls1_1;
  const std::vector<std::uint16_t> offered = {0x002F};
  classify_version_probe(server_hello(0x0303, 0x002F), offered, support);
  EXPECT_FALSE(support.accepted);
  EXPECT_EQ(support.refusal, Refusal::malformed);
}

TEST(EnumerateOffers, RefusalsKeepTheirKind) {
  const std::vector<std::uint16_t> offered = {0x002F};
  struct Row {
    ProbeOutcome outcome;
    Refusal refusal;
  };
  for (const Row& row :
       {Row{ProbeOutcome::alert, Refusal::alert}, Row{ProbeOutcome::closed, Refusal::closed},
        Row{ProbeOutcome::not_tls, Refusal::not_tls}, Row{ProbeOutcome::timeout, Refusal::timeout},
        Row{ProbeOutcome::connect_failed, Refusal::connect_failed},
        Row{ProbeOutcome::malformed, Refusal::malformed}}) {
    ProbeResult r;
    r.outcome = row.outcome;
    r.detail = "why";
    if (row.outcome == ProbeOutcome::alert) r.alert_description = 70;
    VersionSupport support;
    classify_version_probe(r, offered, support);
    EXPECT_FALSE(support.accepted);
    EXPECT_EQ(support.refusal, row.refusal) << probe_outcome_name(row.outcome);
    EXPECT_EQ(support.detail, "why");
    if (row.outcome == ProbeOutcome::alert) {
      EXPECT_EQ(support.alert_description, 70);
    }
  }
}

TEST(EnumerateOffers, WhatEndsAnElimination) {
  ProbeResult alert;
  alert.outcome = ProbeOutcome::alert;
  EXPECT_TRUE(is_refusal(alert));
  ProbeResult closed;
  closed.outcome = ProbeOutcome::closed;
  EXPECT_TRUE(is_refusal(closed));
  ProbeResult hello_then_alert = server_hello(0x0303, 0xC02F);
  hello_then_alert.alert_level = 2;
  hello_then_alert.alert_description = 80;
  EXPECT_TRUE(is_refusal(hello_then_alert));
  EXPECT_FALSE(is_refusal(server_hello(0x0303, 0xC02F)));
  ProbeResult timeout;
  timeout.outcome = ProbeOutcome::timeout;
  EXPECT_FALSE(is_refusal(timeout));
  ProbeResult garbage;
  garbage.outcome = ProbeOutcome::not_tls;
  EXPECT_FALSE(is_refusal(garbage));
}

TEST(EnumerateOffers, ListHelpers) {
  const std::vector<std::uint16_t> values = {1, 2, 3, 4};
  const std::vector<std::uint16_t> remove = {2, 4, 9};
  EXPECT_EQ(without(values, remove), (std::vector<std::uint16_t>{1, 3}));
  EXPECT_TRUE(contains(values, 3));
  EXPECT_FALSE(contains(values, 9));
  EXPECT_TRUE(is_signed_ecdhe(0xC02F));
  EXPECT_TRUE(is_signed_ecdhe(0xCCA9));
  EXPECT_FALSE(is_signed_ecdhe(0xC018));  // anonymous ECDH
  EXPECT_FALSE(is_signed_ecdhe(0x002F));
  EXPECT_EQ(suite_authentication(0xC02B), SuiteAuthentication::ecdsa);
  EXPECT_FALSE(suite_authentication(0xFAFA).has_value());
}

}  // namespace
}  // namespace edgefetch::check::detail
