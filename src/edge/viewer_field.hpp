#pragma once
// What the edge does with one viewer request field on its way to the origin,
// by the field's name alone (facts 5.2); the behavior's forwarding rules then
// decide for the kinds that depend on them (message_rewrite.cpp).

#include <string_view>

namespace edgefetch::edge {

// What the edge does with a viewer field, by its name alone (facts 5.2).
enum class ViewerField {
  other,           // the behavior's header rules decide
  dropped,         // never forwarded (see classify_viewer_field)
  pass_through,    // always forwarded: the body's description, conditionals and ranges
  legacy_removed,  // removed unless the behavior names it
  via,             // chained
  forwarded_for,   // chained, the viewer's address appended
  user_agent,
  cookie,
  accept_encoding,
  authorization,
  websocket,  // Sec-WebSocket-*
};

ViewerField classify_viewer_field(std::string_view name);

}  // namespace edgefetch::edge
