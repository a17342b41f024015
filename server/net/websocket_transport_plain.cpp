// The WebSocket transport over plain TCP: the bare socket, as a quiet
// connection needs none of a Beast tcp_stream's timers.
#include "net/websocket_transport_impl.hpp"

namespace kring {

template class websocket_transport<network_socket>;

} // namespace kring
