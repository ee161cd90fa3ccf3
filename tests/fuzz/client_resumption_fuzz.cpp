// libFuzzer harness: arbitrary bytes from "the server" into a Client that
// offers a saved session (by session id, or by ticket when the first byte is
// odd), so the fuzzer reaches the abbreviated handshake: a ServerHello that
// echoes the fixed session id 0xAB x 32 resumes it. The engine must never
// crash, and once failed must stay failed.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "client_fuzz_support.hpp"
#include "edgefetch/tls/session.hpp"

using namespace edgefetch;

namespace {

std::shared_ptr<const tls::Session> make_session(bool with_ticket) {
  tls::Session::State state;
  state.version = policy::ProtocolVersion::tls1_2;
  state.cipher_suite = policy::cipher_suite_by_code(0xC02F);
  state.session_id.assign(32, 0xAB);
  if (with_ticket) state.ticket.assign(64, 0x7C);
  state.master_secret.assign(48, 0x5A);
  state.extended_master_secret = true;
  state.server_name = "origin.test";
  state.verify_name = "origin.test";
  state.established_at = fuzz::kNow - 10;
  return std::make_shared<const tls::Session>(std::move(state));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const policy::Offer offer = fuzz::widest_tls12_offer();
  static const std::shared_ptr<const tls::Session> by_id = make_session(false);
  static const std::shared_ptr<const tls::Session> by_ticket = make_session(true);
  tls::ClientConfig config = fuzz::unverified_client_config(offer);
  config.resume_session = (data[0] & 1) != 0 ? by_ticket : by_id;
  tls::Client client(config);
  client.start();
  const std::size_t chunk = 1 + data[0] % 97;
  if (!fuzz::feed_in_chunks(client, std::span<const std::uint8_t>(data + 1, size - 1), chunk)) {
    // A fatal alert either way forgets the session (RFC 5246 §7.2.2).
    if (client.error().alert_sender != tls::AlertSender::none && client.session() != nullptr)
      __builtin_trap();
  }
  return 0;
}
