// libFuzzer harness: handshake message reassembly. The input is cut into
// fragments at points chosen by the input itself; whatever the cuts, the
// messages that come out must be the same as when fed in one piece.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tls/messages/handshake_assembler.hpp"

using edgefetch::tls::messages::HandshakeAssembler;

namespace {
std::vector<std::vector<std::uint8_t>> drain(HandshakeAssembler& a, bool& failed) {
  std::vector<std::vector<std::uint8_t>> out;
  while (true) {
    auto m = a.next();
    if (!m) {
      failed = true;
      return out;
    }
    if (!m->has_value()) return out;
    out.emplace_back((*m)->bytes.begin(), (*m)->bytes.end());
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t step = 1 + data[0] % 7;
  const std::span<const std::uint8_t> input(data + 1, size - 1);

  HandshakeAssembler whole(4096);
  whole.add(input);
  bool whole_failed = false;
  const auto expected = drain(whole, whole_failed);

  HandshakeAssembler pieces(4096);
  bool pieces_failed = false;
  std::vector<std::vector<std::uint8_t>> got;
  for (std::size_t offset = 0; offset < input.size() && !pieces_failed; offset += step) {
    pieces.add(input.subspan(offset, std::min(step, input.size() - offset)));
    for (auto& m : drain(pieces, pieces_failed)) got.push_back(std::move(m));
  }
  if (whole_failed != pieces_failed) __builtin_trap();
  if (!whole_failed && got != expected) __builtin_trap();
  return 0;
}
