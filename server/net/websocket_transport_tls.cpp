// The WebSocket transport over TLS (--tls-cert).
#include "net/websocket_transport_impl.hpp"

namespace kring {

template class websocket_transport<beast::ssl_stream<network_stream>>;

} // namespace kring
