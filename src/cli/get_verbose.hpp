#pragma once
// `edgefetch get -v`: the fetch narrated on stderr as it happens. Lines start
// with "*" (edgefetch), ">" (request sent) or "<" (response received).

#include <iosfwd>

#include "edgefetch/origin/fetch.hpp"
#include "get_options.hpp"
#include "terminal.hpp"

namespace edgefetch::cli::get {

class VerboseObserver final : public origin::FetchObserver {
 public:
  VerboseObserver(std::ostream& out, const PreparedGet& prepared, terminal::Painter painter)
      : out_(out), prepared_(prepared), painter_(painter) {}

  /// The settings in force, before anything happens.
  void print_settings();
  /// Timings and warnings at the end.
  void print_summary(const origin::FetchResult& result);

  void on_resolved(const net::Resolution& resolution) override;
  void on_connect_attempt(const net::ConnectAttempt& attempt, int max_attempts) override;
  void on_tls_handshake(const tls::Negotiated& negotiated, const origin::FetchError* error) override;
  void on_request_sent(std::string_view request_head) override;
  void on_interim_response(unsigned http_version, unsigned status, std::string_view reason,
                           const std::vector<origin::Header>& headers) override;
  void on_response_head(unsigned http_version, unsigned status, std::string_view reason,
                        const std::vector<origin::Header>& headers) override;
  void on_retry(int next_try, int max_tries, const origin::FetchError& why) override;

 private:
  void star(const std::string& line);

  std::ostream& out_;
  const PreparedGet& prepared_;
  terminal::Painter painter_;
  int request_try_ = 1;  // which try of the request the connection attempts belong to
};

}  // namespace edgefetch::cli::get
