#include "store/records.hpp"

namespace kring {

std::string_view to_string(staff_role role)
{
    return role == staff_role::admin ? "admin" : "moderator";
}

std::string_view to_string(circle_power power)
{
    switch (power) {
    case circle_power::moderate:
        return "moderate";
    case circle_power::facilitate:
        return "facilitate";
    case circle_power::interpret:
        return "interpret";
    }
    return "moderate";
}

std::optional<circle_power> circle_power_named(std::string_view name)
{
    for (auto const power : {circle_power::moderate, circle_power::facilitate, circle_power::interpret})
        if (to_string(power) == name)
            return power;
    return std::nullopt;
}

} // namespace kring
