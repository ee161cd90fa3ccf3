#pragma once
// The leaf certificate as reports show it (Negotiated::certificate), kept in
// Sessions too so that a resumed connection reports it without parsing the
// certificate again.

#include <ctime>
#include <string>
#include <vector>

namespace edgefetch::tls {

struct CertificateSummary {
  std::string subject;
  std::string issuer;
  std::string not_before;  // ISO 8601 UTC
  std::string not_after;
  std::vector<std::string> san;     // "DNS:example.com", "IP:127.0.0.1"
  std::string key;                  // "RSA 2048", "EC P-256"
  std::string signature_algorithm;  // how the issuer signed it: "sha256WithRSAEncryption"
  std::time_t not_after_time = 0;   // not_after as a time, for "days left"
};

}  // namespace edgefetch::tls
