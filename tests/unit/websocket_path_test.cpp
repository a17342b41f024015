#include "net/client_link.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("a WebSocket is opened at /ws for any circle, or at /ws/c/SLUG for that circle alone")
{
    CHECK(kring::websocket_circle("/ws") == std::string{});
    CHECK(kring::websocket_circle("/ws/c/tea") == std::string{"tea"});
    CHECK(kring::websocket_circle("/ws/c/women-2") == std::string{"women-2"});
    CHECK(kring::websocket_circle("/ws/c/" + std::string(64, 'a')) == std::string(64, 'a'));
    for (char const* refused : {"/", "/ws/", "/wss", "/ws/c", "/ws/c/", "/ws/c/Tea", "/ws/c/tea/", "/ws/c/tea?x",
                                "/ws/c/t%65a", "/ws/c/tea_1", "/ws/c/caf\xC3\xA9", "/ws?x", "/api/circles"})
        CHECK_MESSAGE(!kring::websocket_circle(refused), refused);
    CHECK_FALSE(kring::websocket_circle("/ws/c/" + std::string(65, 'a')));
}
