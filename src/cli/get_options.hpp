#pragma once
// `edgefetch get`: the command-line options and their translation into an
// origin config and request. Everything a user can get wrong is checked here,
// before any connection, with a message that names the flag and the fix.

#include <optional>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/net/url.hpp"
#include "edgefetch/origin/config.hpp"
#include "edgefetch/policy/profile.hpp"

namespace edgefetch::cli::get {

struct GetOptions {
  std::string url;
  std::string origin_ssl_protocols = "TLSv1.2";
  std::string profile{policy::kDefaultProfileName};
  std::string ca_file;
  bool insecure = false;
  std::string host_header;
  std::vector<std::string> resolve;
  std::vector<std::string> headers;
  std::string method;
  std::string data;
  bool data_given = false;
  std::string output;
  int connect_timeout = 10;
  int connection_attempts = 3;
  int read_timeout = 30;
  std::string alpn;
  bool verbose = false;
  bool json = false;
};

struct PreparedGet {
  net::Url url;
  origin::OriginConfig config;
  origin::Request request;
  std::optional<policy::Offer> offer;  // https only
  std::vector<std::string> notes;      // for stderr and the JSON warnings (e.g. gaps in the selection)
  std::string trust_description;       // "system trust store", "--ca-file ca.pem (2 certificates)", ...
};

struct PrepareError {
  int exit_code = 2;
  std::string message;  // without the "edgefetch: " prefix
};

/// Parses and checks the options; loads the trust store (https, verifying).
base::Expected<PreparedGet, PrepareError> prepare(const GetOptions& options);

/// Splits "Name: value" (curl's -H). "Name:" gives an empty value (removes a default header).
base::Expected<origin::Header, std::string> parse_header(std::string_view text);

}  // namespace edgefetch::cli::get
