#pragma once

#include "identity.hpp"
#include "store/records.hpp"

#include <filesystem>
#include <string>
#include <system_error>

namespace kring::test {

// A fresh folder for one test, removed with everything in it at its end.
struct scratch_folder {
    std::filesystem::path path = std::filesystem::temp_directory_path() / ("kring-unit-" + kring::random_hex(8));

    scratch_folder() { std::filesystem::create_directories(path); }
    ~scratch_folder()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    scratch_folder(scratch_folder const&) = delete;
    scratch_folder& operator=(scratch_folder const&) = delete;

    std::filesystem::path db() const { return path / "kring.db"; }
};

// The audit row a store write is asked to add with itself.
inline audit_entry noted(std::string action, std::string target = {})
{
    return {1, "bo", std::move(action), "tea", std::move(target), ""};
}

} // namespace kring::test
