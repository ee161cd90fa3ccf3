#pragma once
// The origin response parser: Beast's basic_parser does the HTTP/1.1 grammar,
// the framing and the limits; this derived parser puts the status line and
// fields straight into a ResponseHead and copies body bytes into the caller's
// buffer, as http::buffer_body does, or (view mode) hands out body bytes where
// they lie. Beast's own response_parser would first
// build a basic_fields (an allocation per field) that the client then copied
// into the ResponseHead field by field.

#include <algorithm>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/origin/http_message.hpp"

namespace edgefetch::origin {

class ResponseParser final : public boost::beast::http::basic_parser<false> {
 public:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  /// The head is written into `head` (cleared when the status line arrives).
  explicit ResponseParser(ResponseHead& head) : head_(head) {}

  /// Where the next body bytes go. After a read, body_space() is what is left.
  void set_body_buffer(std::span<std::uint8_t> out) {
    body_ = out;
    view_mode_ = false;
  }
  [[nodiscard]] std::size_t body_space() const { return body_.size(); }

  /// View mode: put() stops after the first piece of body and body_view()
  /// points at it inside put()'s input (no copy; valid as long as that input).
  void start_body_view() {
    view_mode_ = true;
    view_ = {};
  }
  [[nodiscard]] std::span<const std::uint8_t> body_view() const { return view_; }
  /// A Transfer-Encoding value other than "chunked" that ended the parse
  /// (bad_transfer_encoding); empty when there was none.
  [[nodiscard]] const std::string& unsupported_coding() const { return unsupported_coding_; }
  /// A status code outside 100-599 ("000" included) that ended the parse (bad_status).
  [[nodiscard]] std::optional<int> rejected_status() const { return rejected_status_; }
  /// The value of the first Content-Length field, once one was taken: Beast
  /// refuses a later one that differs (bad_content_length) without saying so.
  [[nodiscard]] const std::string& first_content_length() const { return first_content_length_; }

 private:
  void on_request_impl(boost::beast::http::verb, string_view, string_view, int, error_code& ec) override {
    ec = boost::beast::http::error::bad_version;  // unreachable: a response parser
  }

  void on_response_impl(int code, string_view reason, int version, error_code& ec) override {
    // Beast takes any three digits; a status outside 1xx-5xx has no class
    // (RFC 9110 15) and the edge cannot relay it ("099" is not a 1xx).
    if (code < 100 || code > 599) {
      rejected_status_ = code;
      ec = boost::beast::http::error::bad_status;
      return;
    }
    head_.status = static_cast<unsigned>(code);
    head_.reason.assign(reason.data(), reason.size());
    head_.version = static_cast<unsigned>(version);
    head_.headers.clear();
    head_.headers.reserve(kExpectedFields);  // growing 1, 2, 4, 8, 16 was four allocations per response
  }

  void on_field_impl(boost::beast::http::field field, string_view name, string_view value,
                     error_code& ec) override {
    // The CDN supports only the chunked transfer coding (facts 5.4). Beast
    // would frame "gzip, chunked" as chunked and leave the gzip in the body,
    // which the edge would then relay as if it were the representation.
    if (field == boost::beast::http::field::transfer_encoding &&
        !base::iequals(std::string_view(value.data(), value.size()), "chunked")) {
      unsupported_coding_.assign(value.data(), value.size());
      ec = boost::beast::http::error::bad_transfer_encoding;
      return;
    }
    if (field == boost::beast::http::field::content_length && first_content_length_.empty()) {
      first_content_length_.assign(value.data(), value.size());
    }
    head_.headers.push_back(
        Header{std::string(name.data(), name.size()), std::string(value.data(), value.size())});
  }

  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}

  std::size_t on_body_impl(string_view body, error_code& ec) override { return copy_body(body, ec); }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code& ec) override {
    return copy_body(body, ec);
  }
  void on_finish_impl(error_code&) override {}

  // As buffer_body's reader: what fits, and need_buffer when the rest does not.
  // In view mode: the first piece, then need_buffer to end this put().
  std::size_t copy_body(string_view body, error_code& ec) {
    if (view_mode_) {
      if (!view_.empty()) {
        ec = boost::beast::http::error::need_buffer;
        return 0;
      }
      view_ = std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(body.data()), body.size());
      return body.size();
    }
    const std::size_t n = std::min(body.size(), body_.size());
    if (n > 0) std::memcpy(body_.data(), body.data(), n);
    body_ = body_.subspan(n);
    if (n < body.size()) ec = boost::beast::http::error::need_buffer;
    return n;
  }

  static constexpr std::size_t kExpectedFields = 16;

  ResponseHead& head_;
  std::span<std::uint8_t> body_;
  bool view_mode_ = false;
  std::span<const std::uint8_t> view_;
  std::string unsupported_coding_;
  std::optional<int> rejected_status_;
  std::string first_content_length_;
};

}  // namespace edgefetch::origin
