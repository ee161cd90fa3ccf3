// Enumeration in three phases, each as concurrent as its dependencies allow:
//  1. one probe per version (offering every candidate suite of that version)
//     and one without SNI: which versions are accepted, the first suite of each,
//     the certificates;
//  2. per accepted version, elimination of suites (offer what is left, remove
//     what the server picks) and the preference check (top two reversed); for
//     TLS 1.3 also the groups; and, in the highest accepted version up to
//     TLS 1.2, the ECDHE groups and the signature schemes by elimination.
// A chain stops at the server's refusal (an alert or a close): then nothing
// of what is left is accepted. Anything else (timeout, garbage, a choice that
// was not offered) stops it too, and marks the list incomplete with a note.

#include "edgefetch/check/enumerate.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <map>

#include "check/enumerate_offers.hpp"
#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/crypto/key_share.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/net/task_group.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/messages/client_hello.hpp"

namespace edgefetch::check {

namespace asio = boost::asio;
using policy::ProtocolVersion;

namespace {

using detail::contains;
using detail::without;

std::string describe_stop(const ProbeResult& result) {
  std::string text(probe_outcome_name(result.outcome));
  if (!result.detail.empty()) text += ": " + result.detail;
  return text;
}

std::vector<std::uint16_t> policy_candidate_suites(ProtocolVersion version) {
  std::vector<std::uint16_t> out;
  for (std::uint16_t code : candidate_suites(version)) {
    if (policy::cipher_suite_by_code(code) != nullptr) out.push_back(code);
  }
  return out;
}

std::string version_name(ProtocolVersion version) {
  return std::string(policy::info(version).name);
}

class Enumeration {
 public:
  Enumeration(ProbeTarget target, EnumerateOptions options, const asio::any_io_executor& executor)
      : target_(std::move(target)),
        options_(std::move(options)),
        executor_(executor),
        slots_(executor, options_.max_connections) {}

  asio::awaitable<SupportedSummary> run();

 private:
  asio::awaitable<ProbeResult> probe(ProbeOffer offer);

  asio::awaitable<void> probe_version(ProtocolVersion version);
  asio::awaitable<void> probe_without_sni(ProtocolVersion version);
  asio::awaitable<void> follow_up(ProtocolVersion version);
  asio::awaitable<void> enumerate_suites(ProtocolVersion version);
  asio::awaitable<void> check_suite_preference(ProtocolVersion version);
  asio::awaitable<void> enumerate_tls13_groups();
  asio::awaitable<void> enumerate_groups(ProtocolVersion version);
  asio::awaitable<void> check_group_preference(ProtocolVersion version,
                                               const std::vector<std::uint16_t>& suites,
                                               std::optional<std::uint16_t> pin);
  asio::awaitable<void> enumerate_schemes(bool rsa);
  asio::awaitable<void> read_dhe_parameters(ProtocolVersion version);

  void observe(const ProbeResult& result, bool with_sni);
  void note(std::string text) { summary_.notes.push_back(std::move(text)); }
  VersionSupport& support(ProtocolVersion version);
  [[nodiscard]] bool sni_applies() const;

  ProbeTarget target_;
  EnumerateOptions options_;
  asio::any_io_executor executor_;
  ConnectionLimit slots_;
  SupportedSummary summary_;
  std::map<ProtocolVersion, ProbeResult> version_probes_;
  std::map<ProtocolVersion, std::vector<std::uint16_t>> candidates_;  // suites each version's probes offer
  std::optional<ProbeResult> without_sni_probe_;
  std::optional<ProtocolVersion> groups_version_;  // highest accepted version <= TLS 1.2
  bool budget_exhausted_ = false;
  bool groups_stopped_by_pin_ = false;
};

VersionSupport& Enumeration::support(ProtocolVersion version) {
  for (VersionSupport& v : summary_.versions) {
    if (v.version == version) return v;
  }
  summary_.versions.push_back(VersionSupport{});
  summary_.versions.back().version = version;
  return summary_.versions.back();
}

bool Enumeration::sni_applies() const {
  std::string_view name = target_.server_name;
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return !name.empty() && !tls::messages::is_ip_literal(name);
}

asio::awaitable<ProbeResult> Enumeration::probe(ProbeOffer offer) {
  // Per-origin slot first, then the overall one: every probe takes them in
  // this order, so waiting cannot form a cycle.
  co_await slots_.acquire();
  ConnectionLimit::Guard slot(slots_);
  std::optional<ConnectionLimit::Guard> overall;
  if (options_.overall_limit != nullptr) {
    co_await options_.overall_limit->acquire();
    overall.emplace(*options_.overall_limit);
  }
  if (summary_.probes >= options_.max_probes) {
    if (!budget_exhausted_) {
      note("stopped after " + std::to_string(options_.max_probes) + " probes (the limit)");
    }
    budget_exhausted_ = true;
    ProbeResult result;
    result.outcome = ProbeOutcome::local_error;
    result.detail = "probe limit reached";
    co_return result;
  }
  ++summary_.probes;
  ProbeResult result = co_await run_probe(target_, offer);
  if (options_.on_probe) options_.on_probe(offer, result);
  co_return result;
}

void Enumeration::observe(const ProbeResult& result, bool with_sni) {
  if (result.certificate_chain.empty() || !result.version || !result.cipher_suite) return;
  const auto version = policy::version_from_wire(*result.version);
  if (!version) return;
  const auto auth = detail::suite_authentication(*result.cipher_suite);
  for (const CertificateObservation& seen : summary_.certificates) {
    if (seen.with_sni != with_sni) continue;
    // One per key type with SNI, one without SNI.
    if (!with_sni || detail::suite_authentication(seen.cipher_suite) == auth) return;
  }
  CertificateObservation observation;
  observation.with_sni = with_sni;
  observation.server_name = with_sni && sni_applies() ? target_.server_name : std::string();
  observation.version = *version;
  observation.cipher_suite = *result.cipher_suite;
  observation.chain_der = result.certificate_chain;
  summary_.certificates.push_back(std::move(observation));

  if (with_sni && auth == SuiteAuthentication::ecdsa && !summary_.ecdsa_certificate_curve) {
    auto leaf = crypto::Certificate::from_der(result.certificate_chain.front());
    if (leaf) {
      const crypto::CertificateInfo info = leaf->info();
      if (auto group = group_for_curve_name(info.key_curve)) summary_.ecdsa_certificate_curve = *group;
    }
  }
}

asio::awaitable<void> Enumeration::probe_version(ProtocolVersion version) {
  std::vector<std::uint16_t> suites = candidate_suites(version);
  const ReadDepth depth =
      version == ProtocolVersion::tls1_3 ? ReadDepth::server_hello : ReadDepth::certificate;
  ProbeResult result = co_await probe(detail::offer_for_version(version, suites, depth));
  if (result.outcome == ProbeOutcome::closed && version <= ProtocolVersion::tls1_2 && !budget_exhausted_) {
    // Some servers drop a ClientHello they cannot parse (too many suites,
    // codes they do not know) instead of refusing it. Ask again with only the
    // policy's suites, about the size of the edge's own ClientHello.
    std::vector<std::uint16_t> policy_suites = policy_candidate_suites(version);
    ProbeResult retry = co_await probe(detail::offer_for_version(version, policy_suites, depth));
    if (retry.outcome != ProbeOutcome::closed) {
      if (retry.got_server_hello()) {
        note(version_name(version) + ": the server closed the connection on a ClientHello with " +
             std::to_string(suites.size()) + " suites and answered one with the policy's " +
             std::to_string(policy_suites.size()) + "; only those were enumerated");
        support(version).complete = false;
      }
      suites = std::move(policy_suites);
      result = std::move(retry);
    }
  }
  candidates_[version] = suites;
  detail::classify_version_probe(result, suites, support(version));
  if (support(version).accepted) observe(result, true);
  version_probes_[version] = std::move(result);
}

asio::awaitable<void> Enumeration::probe_without_sni(ProtocolVersion version) {
  ProbeOffer offer = detail::offer_for_version(version, candidate_suites(version), ReadDepth::certificate);
  offer.send_sni = false;
  ProbeResult result = co_await probe(offer);
  if (result.outcome == ProbeOutcome::closed && !budget_exhausted_) {
    // As for the version probe: a server may drop a long ClientHello.
    offer.cipher_suites = policy_candidate_suites(version);
    ProbeResult retry = co_await probe(std::move(offer));
    if (retry.outcome != ProbeOutcome::closed) result = std::move(retry);
  }
  observe(result, false);
  without_sni_probe_ = std::move(result);
}

asio::awaitable<void> Enumeration::enumerate_suites(ProtocolVersion version) {
  const std::vector<std::uint16_t> candidates = candidates_[version];
  while (!budget_exhausted_) {
    VersionSupport& entry = support(version);
    const std::vector<std::uint16_t> remaining = without(candidates, entry.cipher_suites);
    if (remaining.empty()) break;
    const ProbeResult result =
        co_await probe(detail::offer_for_version(version, remaining, ReadDepth::server_hello));
    VersionSupport& current = support(version);
    if (result.got_server_hello() && result.version == policy::wire(version) && result.cipher_suite &&
        contains(remaining, *result.cipher_suite)) {
      current.cipher_suites.push_back(*result.cipher_suite);
      continue;
    }
    if (detail::is_refusal(result)) break;
    current.complete = false;
    if (result.got_server_hello() && result.version != policy::wire(version)) {
      note(version_name(version) + " suites: with fewer suites offered the server answered with version " +
           policy::format_code_point(result.version.value_or(0)) + "; enumeration stopped there");
    } else if (result.got_server_hello()) {
      note(version_name(version) + " suites: the server chose " +
           policy::format_code_point(result.cipher_suite.value_or(0)) +
           ", which was not offered; enumeration stopped there");
    } else {
      note(version_name(version) + " suites: enumeration stopped (" + describe_stop(result) + ")");
    }
    break;
  }
}

asio::awaitable<void> Enumeration::check_suite_preference(ProtocolVersion version) {
  const std::vector<std::uint16_t> found = support(version).cipher_suites;
  if (found.size() < 2 || budget_exhausted_) co_return;
  // (Built before co_await: GCC 12 cannot keep a braced list alive across a suspension.)
  std::vector<std::uint16_t> reversed;
  reversed.push_back(found[1]);
  reversed.push_back(found[0]);
  ProbeOffer offer = detail::offer_for_version(version, std::move(reversed), ReadDepth::server_hello);
  const ProbeResult result = co_await probe(std::move(offer));
  VersionSupport& entry = support(version);
  if (result.got_server_hello() && result.version == policy::wire(version) && result.cipher_suite) {
    if (*result.cipher_suite == found[0]) {
      entry.server_preference = Tristate::yes;
    } else if (*result.cipher_suite == found[1]) {
      entry.server_preference = Tristate::no;
    }
    co_return;
  }
  note(version_name(version) + " preference check failed (" + describe_stop(result) + ")");
}

asio::awaitable<void> Enumeration::enumerate_tls13_groups() {
  const ProbeResult& first = version_probes_[ProtocolVersion::tls1_3];
  if (first.group) summary_.tls13_groups.push_back(*first.group);
  const std::vector<std::uint16_t> candidates = candidate_groups();
  const std::vector<std::uint16_t> suites = candidate_suites(ProtocolVersion::tls1_3);
  while (!budget_exhausted_) {
    const std::vector<std::uint16_t> remaining = without(candidates, summary_.tls13_groups);
    if (remaining.empty()) break;
    ProbeOffer offer = detail::offer_for_version(ProtocolVersion::tls1_3, suites, ReadDepth::server_hello);
    offer.groups = remaining;
    // A share for the first group we can generate: the server either takes it
    // (ServerHello) or asks for the one it wants (HelloRetryRequest). Either
    // way it names one supported group.
    offer.key_share_groups.clear();
    const auto shareable = std::find_if(remaining.begin(), remaining.end(), crypto::key_share_supported);
    if (shareable != remaining.end()) offer.key_share_groups.push_back(*shareable);
    const ProbeResult result = co_await probe(std::move(offer));
    if (result.got_server_hello() && result.version == 0x0304 && result.group &&
        contains(remaining, *result.group)) {
      summary_.tls13_groups.push_back(*result.group);
      continue;
    }
    if (detail::is_refusal(result)) break;
    summary_.tls13_groups_complete = false;
    note("TLS 1.3 groups: enumeration stopped (" + describe_stop(result) + ")");
    break;
  }
}

asio::awaitable<void> Enumeration::enumerate_groups(ProtocolVersion version) {
  std::vector<std::uint16_t> suites;
  for (std::uint16_t suite : support(version).cipher_suites) {
    if (detail::is_signed_ecdhe(suite)) suites.push_back(suite);
  }
  if (suites.empty()) co_return;
  summary_.groups_version = version;
  const bool ecdsa_only = std::none_of(suites.begin(), suites.end(), [](std::uint16_t s) {
    return detail::suite_authentication(s) == SuiteAuthentication::rsa;
  });
  const std::vector<std::uint16_t> candidates = candidate_ecdhe_groups();
  // RFC 8422 §5.1/§2.2: an ECDSA certificate is only usable when its curve is
  // among the client's groups. Once that curve has been found (and removed from
  // the offer), an ECDSA-only server refuses everything; the curve is then
  // kept at the end of the offer ("pinned") to find the others.
  std::optional<std::uint16_t> pin;
  while (!budget_exhausted_) {
    const std::vector<std::uint16_t> remaining = without(candidates, summary_.groups);
    if (remaining.empty()) break;
    ProbeOffer offer = detail::offer_for_version(version, suites, ReadDepth::server_key_exchange);
    offer.groups = remaining;
    if (pin && !contains(offer.groups, *pin)) offer.groups.push_back(*pin);
    const ProbeResult result = co_await probe(std::move(offer));
    observe(result, true);
    if (result.got_server_hello() && result.group) {
      if (contains(remaining, *result.group)) {
        summary_.groups.push_back(*result.group);
        continue;
      }
      if (pin && *result.group == *pin) {
        groups_stopped_by_pin_ = true;
        break;
      }
    }
    if (detail::is_refusal(result)) {
      const auto curve = summary_.ecdsa_certificate_curve;
      if (!pin && ecdsa_only && curve && contains(summary_.groups, *curve)) {
        pin = curve;
        continue;
      }
      break;
    }
    summary_.groups_complete = false;
    note(version_name(version) + " groups: enumeration stopped (" + describe_stop(result) + ")");
    break;
  }
  co_await check_group_preference(version, suites, pin);
  if (groups_stopped_by_pin_ && summary_.groups_server_preference != Tristate::no) {
    // The server picked its certificate's curve over everything left. Unless it
    // is known to follow the client's order (then nothing else is accepted),
    // groups it ranks lower cannot be seen in TLS 1.2.
    summary_.groups_complete = false;
    note(version_name(version) + " groups: without " + group_name_or_code(pin.value_or(0)) +
         " (its ECDSA certificate's curve) the server refuses, and with it the server chooses it; other "
         "groups "
         "it may accept cannot be observed in " +
         version_name(version));
  }
}

asio::awaitable<void> Enumeration::check_group_preference(ProtocolVersion version,
                                                          const std::vector<std::uint16_t>& suites,
                                                          std::optional<std::uint16_t> pin) {
  const std::vector<std::uint16_t> found = summary_.groups;
  if (found.size() < 2 || budget_exhausted_) co_return;
  ProbeOffer offer = detail::offer_for_version(version, suites, ReadDepth::server_key_exchange);
  offer.groups.clear();
  offer.groups.push_back(found[1]);
  offer.groups.push_back(found[0]);
  if (pin && !contains(offer.groups, *pin)) offer.groups.push_back(*pin);
  const ProbeResult result = co_await probe(std::move(offer));
  if (result.got_server_hello() && result.group) {
    if (*result.group == found[0]) {
      summary_.groups_server_preference = Tristate::yes;
    } else if (*result.group == found[1]) {
      summary_.groups_server_preference = Tristate::no;
    }
    co_return;
  }
  note(version_name(version) + " group preference check failed (" + describe_stop(result) + ")");
}

asio::awaitable<void> Enumeration::enumerate_schemes(bool rsa) {
  std::vector<std::uint16_t> suites;
  for (std::uint16_t suite : support(ProtocolVersion::tls1_2).cipher_suites) {
    if (!detail::is_signed_ecdhe(suite)) continue;
    const bool suite_rsa = detail::suite_authentication(suite) == SuiteAuthentication::rsa;
    if (suite_rsa == rsa) suites.push_back(suite);
  }
  if (suites.empty()) co_return;
  std::vector<std::uint16_t>& found = rsa ? summary_.signature_schemes_rsa : summary_.signature_schemes_ecdsa;
  const std::vector<std::uint16_t> candidates = candidate_signature_schemes_for(rsa);
  const char* kind = rsa ? "RSA" : "ECDSA";
  while (!budget_exhausted_) {
    const std::vector<std::uint16_t> remaining = without(candidates, found);
    if (remaining.empty()) break;
    ProbeOffer offer =
        detail::offer_for_version(ProtocolVersion::tls1_2, suites, ReadDepth::server_key_exchange);
    offer.groups = candidate_ecdhe_groups();  // every curve, so the certificate's is among them
    offer.signature_schemes = remaining;
    const ProbeResult result = co_await probe(std::move(offer));
    observe(result, true);
    if (result.got_server_hello() && result.version == 0x0303 && result.signature_scheme) {
      if (contains(remaining, *result.signature_scheme)) {
        found.push_back(*result.signature_scheme);
        continue;
      }
      summary_.unsolicited_signature_scheme = *result.signature_scheme;
      summary_.signature_schemes_complete = false;
      note(std::string("TLS 1.2 ") + kind + " signature schemes: the server signed with " +
           signature_scheme_name_or_code(*result.signature_scheme) +
           ", which the ClientHello did not offer (RFC 5246 7.4.1.4.1 forbids it)");
      break;
    }
    if (detail::is_refusal(result)) break;
    summary_.signature_schemes_complete = false;
    note(std::string("TLS 1.2 ") + kind + " signature schemes: enumeration stopped (" +
         describe_stop(result) + ")");
    break;
  }
}

asio::awaitable<void> Enumeration::read_dhe_parameters(ProtocolVersion version) {
  std::vector<std::uint16_t> suites;
  for (std::uint16_t suite : support(version).cipher_suites) {
    const auto names = suite_names(suite);
    if (names && names->key_exchange == SuiteKeyExchange::dhe &&
        names->authentication != SuiteAuthentication::anonymous) {
      suites.push_back(suite);
    }
  }
  if (suites.empty() || budget_exhausted_) co_return;
  ProbeOffer offer = detail::offer_for_version(version, std::move(suites), ReadDepth::server_key_exchange);
  const ProbeResult result = co_await probe(std::move(offer));
  observe(result, true);
  if (result.dhe_prime_bits) {
    summary_.dhe_prime_bits = result.dhe_prime_bits;
    co_return;
  }
  note(version_name(version) + " DHE parameters could not be read (" + describe_stop(result) + ")");
}

asio::awaitable<void> Enumeration::follow_up(ProtocolVersion version) {
  co_await enumerate_suites(version);
  net::TaskGroup tasks(executor_);
  tasks.spawn(check_suite_preference(version));
  if (groups_version_ == version) {
    if (options_.enumerate_groups) {
      tasks.spawn(enumerate_groups(version));
      tasks.spawn(read_dhe_parameters(version));
    }
    if (options_.enumerate_signature_schemes && version == ProtocolVersion::tls1_2) {
      tasks.spawn(enumerate_schemes(true));
      tasks.spawn(enumerate_schemes(false));
    }
  }
  co_await tasks.wait();
}

asio::awaitable<SupportedSummary> Enumeration::run() {
  const auto started = std::chrono::steady_clock::now();
  std::vector<ProtocolVersion> versions = options_.versions;
  std::sort(versions.begin(), versions.end());
  versions.erase(std::unique(versions.begin(), versions.end()), versions.end());
  for (ProtocolVersion v : versions) support(v);
  const std::vector<ProtocolVersion> newest_first(versions.rbegin(), versions.rend());

  // Phase 1: the newest versions first (they matter most), then the rest.
  std::optional<ProtocolVersion> highest_tls12_or_below;
  for (ProtocolVersion v : versions) {
    if (v <= ProtocolVersion::tls1_2) highest_tls12_or_below = v;
  }
  {
    net::TaskGroup tasks(executor_);
    for (ProtocolVersion v : newest_first) {
      tasks.spawn(probe_version(v));
      if (v == highest_tls12_or_below && options_.check_sni && sni_applies()) {
        tasks.spawn(probe_without_sni(v));
      }
    }
    co_await tasks.wait();
  }

  const bool unreachable = std::all_of(version_probes_.begin(), version_probes_.end(), [](const auto& entry) {
    return entry.second.outcome == ProbeOutcome::connect_failed;
  });
  if (!unreachable) {
    for (ProtocolVersion v : newest_first) {
      if (v <= ProtocolVersion::tls1_2 && support(v).accepted) {
        groups_version_ = v;
        break;
      }
    }
    for (ProtocolVersion v : versions) {
      if (v > ProtocolVersion::tls1_2 || !support(v).accepted) continue;
      const ProbeResult& first = version_probes_[v];
      summary_.secure_renegotiation = first.renegotiation_info ? Tristate::yes : Tristate::no;
      summary_.extended_master_secret = first.extended_master_secret ? Tristate::yes : Tristate::no;
    }

    // Phase 2: per accepted version, suites then (concurrently) the rest.
    net::TaskGroup tasks(executor_);
    for (ProtocolVersion v : newest_first) {
      if (support(v).accepted) tasks.spawn(follow_up(v));
    }
    if (options_.enumerate_groups &&
        std::find(versions.begin(), versions.end(), ProtocolVersion::tls1_3) != versions.end() &&
        support(ProtocolVersion::tls1_3).accepted) {
      tasks.spawn(enumerate_tls13_groups());
    }
    co_await tasks.wait();
  }

  // SNI: the same offer with and without server_name.
  if (without_sni_probe_ && highest_tls12_or_below) {
    const ProbeResult& with = version_probes_[*highest_tls12_or_below];
    const ProbeResult& without_sni = *without_sni_probe_;
    if (!with.certificate_chain.empty() && !without_sni.certificate_chain.empty()) {
      summary_.sni_changes_certificate =
          with.certificate_chain == without_sni.certificate_chain ? Tristate::no : Tristate::yes;
    } else if (with.certificate_chain.empty()) {
      summary_.without_sni_detail = "no certificate was seen with SNI to compare with";
    } else {
      summary_.without_sni_detail = "without SNI: " + describe_stop(without_sni);
    }
  } else if (!sni_applies()) {
    summary_.without_sni_detail = "no server name to send (IP address origin)";
  }

  summary_.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
          .count();
  co_return std::move(summary_);
}

asio::awaitable<SupportedSummary> run_enumeration(ProbeTarget target, EnumerateOptions options) {
  const auto executor = co_await asio::this_coro::executor;
  Enumeration enumeration(std::move(target), std::move(options), executor);
  co_return co_await enumeration.run();
}

asio::awaitable<base::Expected<SupportedSummary, std::string>> resolve_and_enumerate(
    ProbeTarget target, EnumerateOptions options) {
  auto resolved = co_await resolve_target(target);
  if (!resolved) co_return base::unexpected(resolved.error());
  co_return co_await run_enumeration(std::move(target), std::move(options));
}

}  // namespace

asio::awaitable<SupportedSummary> enumerate(ProbeTarget target, EnumerateOptions options) {
  co_return co_await run_enumeration(std::move(target), std::move(options));
}

base::Expected<SupportedSummary, std::string> enumerate_blocking(ProbeTarget target,
                                                                 EnumerateOptions options) {
  asio::io_context io;
  auto future =
      asio::co_spawn(io, resolve_and_enumerate(std::move(target), std::move(options)), asio::use_future);
  io.run();
  return future.get();
}

}  // namespace edgefetch::check
