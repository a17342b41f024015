#pragma once

#include "identity.hpp"

#include <filesystem>
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

} // namespace kring::test
