// The WebSocket transport over plain TCP.
#include "net/websocket_transport_impl.hpp"

namespace kring {

template class websocket_transport<beast::tcp_stream>;

} // namespace kring
