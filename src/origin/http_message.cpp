#include "edgefetch/origin/http_message.hpp"

namespace edgefetch::origin {

bool chunk_framing_has_bare_lf(std::string_view unparsed) {
  for (std::size_t lf = unparsed.find('\n'); lf != std::string_view::npos; lf = unparsed.find('\n', lf + 1)) {
    if (lf == 0 || unparsed[lf - 1] != '\r') return true;
  }
  return false;
}

}  // namespace edgefetch::origin
