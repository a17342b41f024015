#include "store/records.hpp"

namespace kring {

std::string_view to_string(staff_role role)
{
    return role == staff_role::admin ? "admin" : "moderator";
}

} // namespace kring
