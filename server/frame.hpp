#pragma once

#include <memory>
#include <string>

namespace kring {

// A serialized server frame. One chat message is written once and the same
// immutable bytes are shared by every recipient's send queue.
using shared_frame = std::shared_ptr<std::string const>;

inline shared_frame make_frame(std::string text)
{
    return std::make_shared<std::string const>(std::move(text));
}

} // namespace kring
