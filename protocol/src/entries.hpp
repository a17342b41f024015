#pragma once

#include <kring/protocol/server_messages.hpp>

#include "json_writer.hpp"

#include <string>

// Pieces that several server frames share.
namespace kring::protocol::detail {

void append_member(std::string& out, member_entry const& member);
void append_pinned(std::string& out, pinned_entry const& pinned);
void append_room_state(json_object_writer& w, room_entry const& room);
void append_room(std::string& out, room_entry const& room);

} // namespace kring::protocol::detail
