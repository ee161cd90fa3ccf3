// libFuzzer harness: the reader of a server's answer to a check probe's
// ClientHello (check::detail::AnswerReader), fed what an untrusted server sent.
// First byte: bits 0-1 the ReadDepth (3 wraps to server_hello), bit 2 whether
// the ClientHello offered TLS 1.3, bits 3-4 how the input ends (nothing,
// feed_eof(false), feed_eof(true), timed_out()). Second byte: the piece size
// (1-64) the rest is fed in, so records and messages split across reads.
// Invariants checked:
//  - feed() returns done(); once done, more feed()/feed_eof()/timed_out() calls
//    return true and change nothing in the result (not even bytes_read);
//  - feed_eof()/timed_out() always leave the reader done; outcome closed only
//    comes from feed_eof(), timeout only from timed_out();
//  - bytes_read counts every byte fed before the answer was complete;
//  - the outcome is one the reader produces (never connect_failed; local_error
//    only while not done), a non-server_hello outcome has a detail, and every
//    detail is one line of printable ASCII (peer bytes appear only as hex);
//  - ServerHello fields are set exactly when the outcome is server_hello, agree
//    with its extension list, and nothing past the ServerHello is read for an
//    HRR, TLS 1.3 or ReadDepth::server_hello; ServerKeyExchange fields only for
//    TLS <= 1.2; alerts have a legal level, and an alert outcome is fatal or
//    close_notify;
//  - feeding the same bytes in one piece gives the same result (all fields but
//    detail and bytes_read: the SSLv2 check looks at the first read only).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "check/probe_answer.hpp"
#include "fuzz_require.hpp"

using namespace edgefetch::check;
using edgefetch::check::detail::AnswerReader;
using edgefetch::fuzz::require;

namespace {

enum class Ending { none, eof, reset, timeout };

bool has_extension(const ProbeResult& r, std::uint16_t type) {
  return std::find(r.extensions.begin(), r.extensions.end(), type) != r.extensions.end();
}

void end(AnswerReader& reader, Ending ending) {
  switch (ending) {
    case Ending::none:
      return;
    case Ending::eof:
      reader.feed_eof(false);
      return;
    case Ending::reset:
      reader.feed_eof(true);
      return;
    case Ending::timeout:
      reader.timed_out();
      return;
  }
}

// Everything the reader decided, detail and bytes_read aside.
bool same_answer(const ProbeResult& a, const ProbeResult& b) {
  return a.outcome == b.outcome && a.version == b.version &&
         a.server_hello_version == b.server_hello_version && a.record_version == b.record_version &&
         a.cipher_suite == b.cipher_suite && a.hello_retry_request == b.hello_retry_request &&
         a.extensions == b.extensions && a.renegotiation_info == b.renegotiation_info &&
         a.extended_master_secret == b.extended_master_secret &&
         a.server_name_acknowledged == b.server_name_acknowledged && a.group == b.group &&
         a.signature_scheme == b.signature_scheme && a.dhe_prime_bits == b.dhe_prime_bits &&
         a.certificate_chain == b.certificate_chain && a.server_hello_done == b.server_hello_done &&
         a.alert_level == b.alert_level && a.alert_description == b.alert_description;
}

bool same_result(const ProbeResult& a, const ProbeResult& b) {
  return same_answer(a, b) && a.detail == b.detail && a.bytes_read == b.bytes_read;
}

void check_result(const AnswerReader& reader, ReadDepth depth, bool tls13_offered, std::uint64_t fed) {
  const ProbeResult& r = reader.result();
  const bool done = reader.done();

  switch (r.outcome) {
    case ProbeOutcome::server_hello:
    case ProbeOutcome::alert:
    case ProbeOutcome::closed:
    case ProbeOutcome::not_tls:
    case ProbeOutcome::timeout:
    case ProbeOutcome::malformed:
      break;
    case ProbeOutcome::local_error:
      require(!done);  // the reader's initial value: it has decided nothing yet
      break;
    case ProbeOutcome::connect_failed:  // the probe's, not the reader's
    default:                            // not an enumerator at all
      __builtin_trap();
  }
  if (!done) require(r.outcome == ProbeOutcome::local_error || r.outcome == ProbeOutcome::server_hello);
  if (done && r.outcome != ProbeOutcome::server_hello) require(!r.detail.empty());
  for (const char c : r.detail) {
    const auto byte = static_cast<unsigned char>(c);
    require(byte >= 0x20 && byte < 0x7F);
  }
  require(r.bytes_read == fed);
  require(r.bytes_sent == 0 && r.elapsed.count() == 0 && !r.endpoint);

  const bool hello = r.outcome == ProbeOutcome::server_hello;
  require(r.version.has_value() == hello && r.cipher_suite.has_value() == hello);
  require(r.record_version == 0 || (r.record_version >> 8) == 3);
  if (!hello) {
    require(r.server_hello_version == 0 && r.extensions.empty() && !r.hello_retry_request &&
            !r.renegotiation_info && !r.extended_master_secret && !r.server_name_acknowledged && !r.group &&
            !r.signature_scheme && !r.dhe_prime_bits && r.certificate_chain.empty() && !r.server_hello_done);
  } else {
    require((r.record_version >> 8) == 3);  // the ServerHello came in a TLS record
    require(*r.version == r.server_hello_version || has_extension(r, 43));  // supported_versions
    if (r.renegotiation_info) require(has_extension(r, 0xFF01));
    if (r.extended_master_secret) require(has_extension(r, 23));
    if (r.server_name_acknowledged) require(has_extension(r, 0));
    std::vector<std::uint16_t> types = r.extensions;
    std::sort(types.begin(), types.end());
    require(std::adjacent_find(types.begin(), types.end()) == types.end());  // no extension twice
    if (*r.version == 0x0304 && !tls13_offered) require(!r.detail.empty());
    if (r.hello_retry_request || *r.version == 0x0304 || depth == ReadDepth::server_hello) {
      require(done && r.certificate_chain.empty() && !r.server_hello_done && !r.signature_scheme &&
              !r.dhe_prime_bits);
    }
    if (r.signature_scheme || r.dhe_prime_bits) require(done && *r.version <= 0x0303);
    if (r.dhe_prime_bits) require(*r.dhe_prime_bits >= 0 && *r.dhe_prime_bits <= 65535 * 8);
    if (r.server_hello_done) require(done);
    if (depth == ReadDepth::certificate && !r.certificate_chain.empty())
      require(done && !r.server_hello_done);
  }
  require(r.certificate_chain.size() <= 16);
  for (const auto& der : r.certificate_chain) require(!der.empty());

  require(r.alert_level.has_value() == r.alert_description.has_value());
  if (r.alert_level) require(*r.alert_level == 1 || *r.alert_level == 2);
  if (r.outcome == ProbeOutcome::alert) {
    require(r.alert_level.has_value());
    require(*r.alert_level == 2 || *r.alert_description == 0);  // fatal, or close_notify
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto depth = static_cast<ReadDepth>((data[0] & 3) % 3);
  const bool tls13_offered = (data[0] & 4) != 0;
  const auto ending = static_cast<Ending>((data[0] >> 3) & 3);
  const std::size_t piece = (data[1] % 64) + 1;
  const std::span<const std::uint8_t> input(data + 2, size - 2);

  AnswerReader reader(depth, tls13_offered);
  std::size_t offset = 0;
  std::uint64_t fed = 0;
  bool complete = false;
  while (offset < input.size()) {
    const auto bytes = input.subspan(offset, std::min(piece, input.size() - offset));
    complete = reader.feed(bytes);
    offset += bytes.size();
    fed += bytes.size();
    require(complete == reader.done());
    check_result(reader, depth, tls13_offered, fed);
    if (complete) break;
  }

  bool ended = false;
  if (!complete && ending != Ending::none) {
    end(reader, ending);
    ended = true;
    require(reader.done());
  }
  check_result(reader, depth, tls13_offered, fed);
  const ProbeResult& r = reader.result();
  if (r.outcome == ProbeOutcome::closed) require(ended && (ending == Ending::eof || ending == Ending::reset));
  if (r.outcome == ProbeOutcome::timeout) require(ended && ending == Ending::timeout);

  if (reader.done()) {
    // A complete answer is final: the rest of the input (or a record header
    // if there is none), then EOF and the deadline, change nothing.
    const ProbeResult before = r;
    static constexpr std::uint8_t kMore[] = {0x16, 0x03, 0x03, 0x00, 0x04, 0x0E, 0x00, 0x00, 0x00};
    const auto rest = offset < input.size() ? input.subspan(offset) : std::span<const std::uint8_t>(kMore);
    for (std::size_t at = 0; at < rest.size() && at < 3 * piece; at += piece) {
      require(reader.feed(rest.subspan(at, std::min(piece, rest.size() - at))));
    }
    reader.feed_eof(false);
    reader.feed_eof(true);
    reader.timed_out();
    require(reader.done() && same_result(before, reader.result()));
  }

  // The same bytes in one read: the same answer.
  AnswerReader whole(depth, tls13_offered);
  if (!input.empty()) require(whole.feed(input) == whole.done());
  if (!whole.done()) end(whole, ending);
  require(whole.done() == reader.done());
  require(same_answer(whole.result(), reader.result()));
  return 0;
}
