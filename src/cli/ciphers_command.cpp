// `edgefetch ciphers`: the origin policy's tables and name translation.
//
//   edgefetch ciphers [--profile NAME] [--origin-ssl-protocols LIST] [--json | --format openssl]
//   edgefetch ciphers groups   [--profile NAME] [--all] [--json]
//   edgefetch ciphers sigalgs  [--profile NAME] [--all] [--json]
//   edgefetch ciphers profiles [--json]
//   edgefetch ciphers translate NAME... [--json]
//
// Bad input (unknown profile, bad OriginSslProtocols, unknown name) exits with
// kExitUsage and a message on stderr; with --json also an {"error": ...} object
// on stdout (usage_error.hpp), except that an unknown name to translate is a
// result with an "error" of its own. The JSON schema is documented in
// ciphers_views.hpp.

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "ciphers_translate.hpp"
#include "ciphers_views.hpp"
#include "commands.hpp"
#include "edgefetch/base/ascii.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/profile.hpp"
#include "json_output.hpp"
#include "option_checks.hpp"
#include "terminal.hpp"
#include "usage_error.hpp"

namespace edgefetch::cli {
namespace {

struct CiphersOptions {
  std::string profile{policy::kDefaultProfileName};
  std::string origin_ssl_protocols;
  bool origin_ssl_protocols_given = false;  // also when given as "" (an error)
  std::string format = "table";
  bool json = false;
  bool all = false;
  std::vector<std::string> names;
};

void print_json(const ciphers::Json& document) {
  std::cout << json_text(document) << "\n";
}

const policy::Profile* resolve_profile(const CiphersOptions& options) {
  const policy::Profile* profile = policy::profile_by_name(options.profile);
  if (profile == nullptr) {
    report_usage_error(unknown_profile_message(options.profile), options.json, kExitUsage);
  }
  return profile;
}

int run_offer(const CiphersOptions& options) {
  const policy::Profile* profile = resolve_profile(options);
  if (profile == nullptr) {
    return kExitUsage;
  }
  std::vector<policy::ProtocolVersion> selection;
  if (options.origin_ssl_protocols_given) {
    auto parsed = policy::parse_origin_ssl_protocols(options.origin_ssl_protocols);
    if (!parsed) {
      return report_usage_error("--origin-ssl-protocols: " + parsed.error(), options.json, kExitUsage);
    }
    selection = std::move(parsed).value();
  }
  const policy::Offer offer = policy::narrow(*profile, selection);
  if (options.json) {
    print_json(ciphers::offer_json(offer, selection));
  } else if (options.format == "openssl") {
    const std::string cipher_string = ciphers::openssl_cipher_string(offer);
    const std::string tls13 = ciphers::openssl_tls13_ciphersuites(offer);
    if (cipher_string.empty()) {
      // An empty line would read as a cipher string to a script, and an empty
      // -cipher / ssl_ciphers setting is not this profile's offer.
      return report_usage_error(
          "--format openssl: profile " + std::string(profile->name) +
              " offers no TLS 1.2-or-older suite, so there is no cipher string (-cipher, ssl_ciphers) to "
              "print. Its TLS 1.3 suites go in OpenSSL's -ciphersuites option (nginx: ssl_conf_command "
              "Ciphersuites): " +
              tls13,
          options.json, kExitUsage);
    }
    std::cout << cipher_string << "\n";
    if (!tls13.empty()) {
      std::cerr << "edgefetch: TLS 1.3 suites go in OpenSSL's -ciphersuites option: " << tls13 << "\n";
    } else if (offer.max_version < policy::ProtocolVersion::tls1_3) {
      // OpenSSL adds its own TLS 1.3 suites to any cipher string.
      std::cerr << terminal::wrap("edgefetch: profile " + std::string(profile->name) +
                                      " offers no TLS 1.3: to mirror it, also turn TLS 1.3 off (openssl "
                                      "-no_tls1_3, nginx ssl_protocols without TLSv1.3), or OpenSSL adds its "
                                      "default TLS 1.3 suites",
                                  100, "  ")
                << "\n";
    }
    if (const std::string note = ciphers::openssl_legacy_note(offer); !note.empty()) {
      std::cerr << terminal::wrap("edgefetch: " + note, 100, "  ") << "\n";
    }
  } else {
    ciphers::print_offer(std::cout, offer, selection, terminal::Painter::for_stdout());
  }
  return kExitOk;
}

int run_groups(const CiphersOptions& options) {
  std::vector<const policy::NamedGroup*> groups;
  const policy::Profile* profile = nullptr;
  if (options.all) {
    for (const policy::NamedGroup& g : policy::all_named_groups()) {
      groups.push_back(&g);
    }
  } else {
    profile = resolve_profile(options);
    if (profile == nullptr) {
      return kExitUsage;
    }
    groups = profile->groups;
  }
  if (options.json) {
    ciphers::Json list = ciphers::Json::array();
    for (std::size_t i = 0; i < groups.size(); ++i) {
      list.push_back(ciphers::group_json(*groups[i], i + 1));
    }
    print_json(
        ciphers::Json{{"profile", profile != nullptr ? ciphers::Json(profile->name) : ciphers::Json(nullptr)},
                      {"groups", list}});
    return kExitOk;
  }
  if (profile != nullptr) {
    std::cout << "Groups offered by profile " << profile->name << ", in the client's order:\n\n";
  } else {
    std::cout << "Every catalogued group (the policy offers those marked 'yes'):\n\n";
  }
  ciphers::print_groups(std::cout, groups, options.all, terminal::Painter::for_stdout());
  return kExitOk;
}

int run_sigalgs(const CiphersOptions& options) {
  std::vector<const policy::SignatureScheme*> schemes;
  const policy::Profile* profile = nullptr;
  if (options.all) {
    for (const policy::SignatureScheme& s : policy::all_signature_schemes()) {
      schemes.push_back(&s);
    }
  } else {
    profile = resolve_profile(options);
    if (profile == nullptr) {
      return kExitUsage;
    }
    schemes = profile->signature_schemes;
  }
  if (options.json) {
    ciphers::Json list = ciphers::Json::array();
    for (std::size_t i = 0; i < schemes.size(); ++i) {
      list.push_back(ciphers::scheme_json(*schemes[i], i + 1));
    }
    print_json(
        ciphers::Json{{"profile", profile != nullptr ? ciphers::Json(profile->name) : ciphers::Json(nullptr)},
                      {"signature_schemes", list}});
    return kExitOk;
  }
  if (profile != nullptr) {
    std::cout << "Signature schemes offered by profile " << profile->name
              << " (signature_algorithms, in the client's order):\n\n";
  } else {
    std::cout << "Every catalogued signature scheme:\n\n";
  }
  ciphers::print_signature_schemes(std::cout, schemes, options.all, terminal::Painter::for_stdout());
  return kExitOk;
}

int run_profiles(const CiphersOptions& options) {
  if (options.json) {
    print_json(ciphers::profiles_json());
  } else {
    ciphers::print_profiles(std::cout, terminal::Painter::for_stdout());
  }
  return kExitOk;
}

int run_translate(const CiphersOptions& options) {
  int status = kExitOk;
  ciphers::Json results = ciphers::Json::array();
  const terminal::Painter painter = terminal::Painter::for_stdout();
  bool first = true;
  for (const std::string& name : options.names) {
    const ciphers::Translation translation = ciphers::translate(name);
    if (translation.empty()) {
      // The width of the old hand-wrapped message; continuation lines indented.
      std::cerr << terminal::wrap("edgefetch: " + ciphers::unknown_query_message(name), 100, "  ") << "\n";
      status = kExitUsage;
    }
    if (options.json) {
      results.push_back(ciphers::translation_json(name, translation));
      continue;
    }
    if (translation.empty()) {
      continue;
    }
    if (!first) {
      std::cout << "\n";
    }
    first = false;
    ciphers::print_translation(std::cout, name, translation, painter);
  }
  if (options.json) {
    print_json(ciphers::Json{{"results", results}});
  }
  return status;
}

CLI::Option* add_profile_option(CLI::App& cmd, CiphersOptions& options) {
  return cmd.add_option("--profile", options.profile, "Profile to show (see 'edgefetch ciphers profiles')")
      ->default_str(std::string(policy::kDefaultProfileName))
      ->type_name("NAME");
}

// Why a --profile the chosen action would not use is refused, or "" when it is used.
std::string unused_profile_problem(const CLI::App* sub, const CLI::App* profiles, const CLI::App* translate,
                                   bool all) {
  if (sub == profiles) {
    return "--profile does not apply to 'edgefetch ciphers profiles', which lists them all";
  }
  if (sub == translate) {
    return "--profile does not apply to 'edgefetch ciphers translate', which says which profiles offer each "
           "item";
  }
  if (all) {
    return "--all shows every catalogued item whatever the profile: give --profile or --all, not both";
  }
  return "";
}

void add_json_flag(CLI::App& cmd, CiphersOptions& options) {
  cmd.add_flag("--json", options.json, "Print JSON (a stable schema) instead of a table");
}

}  // namespace

void register_ciphers_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CiphersOptions>();
  CLI::App* cmd = app.add_subcommand("ciphers",
                                     "Show the origin policy: cipher suites in the order offered, groups, "
                                     "signature schemes; translate names");
  // Set before the subcommands are added, which inherit it (translate has its own).
  cmd->footer(
      "Exit codes: 0 success, 2 usage error (an unknown profile, a bad --origin-ssl-protocols, --format\n"
      "            openssl for a profile with no TLS 1.2-or-older suite), 4 output not written or internal\n"
      "            error.");
  cmd->require_subcommand(0, 1);
  CLI::Option* profile = add_profile_option(*cmd, *options);
  CLI::Option* origin =
      cmd->add_option("--origin-ssl-protocols", options->origin_ssl_protocols,
                      "Show the offer under this OriginSslProtocols selection, e.g. TLSv1.2,TLSv1.1 (values: "
                      "SSLv3, TLSv1, TLSv1.1, TLSv1.2): its lowest version is the floor the server's choice "
                      "must meet; the ClientHello is the same for every selection")
          ->type_name("LIST");
  cmd->add_flag("--json", options->json,
                "Print JSON (a stable schema) instead of a table (not with --format)");
  CLI::Option* format =
      cmd->add_option("--format", options->format,
                      "table (default) or openssl: the TLS 1.2-and-older suites as a colon-separated cipher "
                      "string for 'openssl ciphers', -cipher or ssl_ciphers (the TLS 1.3 suites, for "
                      "-ciphersuites, go to stderr); a profile with none of those suites exits 2")
          ->transform(CLI::Validator(
              [](std::string& value) -> std::string {
                // Any case, as --profile takes.
                if (base::iequals(value, "table") || base::iequals(value, "openssl")) {
                  value = base::iequals(value, "table") ? "table" : "openssl";
                  return {};
                }
                if (base::iequals(value, "json")) return "json is not a --format; for JSON, use --json";
                return "'" + value + "' is not a format; give table or openssl (or --json for JSON)";
              },
              "{table,openssl}"))
          ->type_name("FORMAT");

  CLI::App* groups = cmd->add_subcommand("groups", "Named groups (curves) the profile offers, in order");
  CLI::Option* groups_profile = add_profile_option(*groups, *options);
  groups->add_flag("--all", options->all, "Every catalogued group, including those only used for diagnosis");
  add_json_flag(*groups, *options);

  CLI::App* sigalgs = cmd->add_subcommand("sigalgs", "Signature schemes the profile offers, in order");
  CLI::Option* sigalgs_profile = add_profile_option(*sigalgs, *options);
  sigalgs->add_flag("--all", options->all, "Every catalogued signature scheme (adds RSA-PSS)");
  add_json_flag(*sigalgs, *options);

  // groups and sigalgs take a profile or --all; profiles takes neither.
  for (CLI::App* listing : {groups, sigalgs}) {
    listing->footer(
        "Exit codes: 0 success, 2 usage error (an unknown profile, --profile with --all), 4 output not\n"
        "            written or internal error.");
  }
  CLI::App* profiles =
      cmd->add_subcommand("profiles", "The named profiles, their aliases and version ranges");
  profiles->footer(
      "Exit codes: 0 success, 2 usage error (a flag it does not take, such as --profile), 4 output not\n"
      "            written or internal error.");
  add_json_flag(*profiles, *options);

  CLI::App* translate = cmd->add_subcommand(
      "translate",
      "Show a cipher suite, group or signature scheme in every spelling (OpenSSL/s2n, RFC, GnuTLS, "
      "JSSE, code point such as 0xC02F or 0xC0,0x2F)");
  translate->add_option("NAME", options->names, "Names or code points to translate")->required();
  translate->footer(
      "Exit codes: 0 every name found; 2 a name that matches nothing (the others are still shown; with\n"
      "            --json it is a result with an \"error\") or another usage error; 4 output not written\n"
      "            or internal error.");
  add_json_flag(*translate, *options);

  // One callback for the whole command, so that exactly one action runs.
  const std::vector<const CLI::Option*> profile_options = {profile, groups_profile, sigalgs_profile};
  cmd->callback([cmd, origin, format, profile_options, groups, sigalgs, profiles, translate, options,
                 &exit_code] {
    options->origin_ssl_protocols_given = origin->count() > 0;
    const std::vector<CLI::App*> chosen = cmd->get_subcommands();
    const CLI::App* sub = chosen.empty() ? nullptr : chosen.front();
    if (sub != nullptr && (options->origin_ssl_protocols_given || format->count() > 0)) {
      exit_code = report_usage_error(
          "--origin-ssl-protocols and --format apply to 'edgefetch ciphers' itself, not to '" +
              sub->get_name() + "'",
          options->json, kExitUsage);
      return;
    }
    if (options->json && format->count() > 0) {
      // Checked here rather than with CLI11's excludes(), whose note breaks the help's columns.
      exit_code = report_usage_error(
          "--json and --format cannot go together: --json prints JSON, --format picks a text form (table or "
          "openssl)",
          options->json, kExitUsage);
      return;
    }
    const bool profile_given = std::any_of(profile_options.begin(), profile_options.end(),
                                           [](const CLI::Option* option) { return option->count() > 0; });
    if (profile_given) {
      if (const std::string problem = unused_profile_problem(sub, profiles, translate, options->all);
          !problem.empty()) {
        exit_code = report_usage_error(problem, options->json, kExitUsage);
        return;
      }
    }
    if (sub == groups) {
      exit_code = run_groups(*options);
    } else if (sub == sigalgs) {
      exit_code = run_sigalgs(*options);
    } else if (sub == profiles) {
      exit_code = run_profiles(*options);
    } else if (sub == translate) {
      exit_code = run_translate(*options);
    } else {
      exit_code = run_offer(*options);
    }
  });
}

}  // namespace edgefetch::cli
