#include "store/records.hpp"

namespace kring {

std::string_view to_string(staff_role role)
{
    return role == staff_role::admin ? "admin" : "moderator";
}

void add_circle(staff_record& staff, std::string slug, circle_power power)
{
    switch (power) {
    case circle_power::moderate:
        staff.rooms.push_back(std::move(slug));
        return;
    case circle_power::facilitate:
        staff.facilitates.push_back(std::move(slug));
        return;
    case circle_power::interpret:
        staff.interprets.push_back(std::move(slug));
        return;
    }
}

std::optional<staff_role> staff_role_named(std::string_view name)
{
    for (auto const role : {staff_role::moderator, staff_role::admin})
        if (to_string(role) == name)
            return role;
    return std::nullopt;
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

std::string joined_column(std::vector<std::string> const& items, char separator)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += separator;
        out += items[i];
    }
    return out;
}

std::vector<std::string> split_column(std::string const& text, char separator)
{
    std::vector<std::string> out;
    if (text.empty())
        return out;
    for (std::size_t start = 0;;) {
        auto const end = text.find(separator, start);
        out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos)
            return out;
        start = end + 1;
    }
}

} // namespace kring
