// Fuzzes the static-file resolver with request targets (the input, as the
// HTTP request line carries it) against a real web root made at start-up,
// full of traps: hidden files, links that lead out, a sibling folder whose
// name starts like the root's, files named like escapes. Whatever the
// target, a file served is a regular file below the root, reached by
// visible names only, and the same through a web root that is a link.
#include "fuzz_check.hpp"
#include "net/static_files.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

struct web_root {
    fs::path base; // holds the root and what must stay out of reach
    fs::path root;
    fs::path root_link; // base/current -> www
};

web_root const* world = nullptr;

void write_file(fs::path const& file)
{
    fs::create_directories(file.parent_path());
    std::ofstream{file} << "x";
}

web_root* make_web_root()
{
    std::string folder = (fs::temp_directory_path() / "kring-fuzz-www-XXXXXX").string();
    if (!mkdtemp(folder.data()))
        std::abort();
    auto* w = new web_root;
    w->base = fs::canonical(folder);
    w->root = w->base / "www";
    w->root_link = w->base / "current";
    for (auto const* name : {"index.html", "app.js", "style.css", "favicon.svg", "sub/x.css", "sub/index.html",
                             "sub/deeper/y.js", "a.b.c", ".hidden", ".env", "sub/.git/config", "%2e%2e/x", "a\\b",
                             "..x", "x..", "UPPER.TXT"})
        write_file(w->root / name);
    write_file(w->base / "secret.txt");
    write_file(w->base / "etc" / "passwd");
    write_file(w->base / "www2" / "secret.txt"); // a sibling whose name starts with the root's
    fs::create_symlink("app.js", w->root / "alias.js");
    fs::create_directory_symlink("sub", w->root / "styles");
    fs::create_symlink("../secret.txt", w->root / "leak.txt");
    fs::create_symlink(w->base / "etc" / "passwd", w->root / "abs");
    fs::create_directory_symlink("..", w->root / "up");
    fs::create_directory_symlink("../etc", w->root / "conf");
    fs::create_directory_symlink("../www2", w->root / "w2");
    fs::create_symlink(".env", w->root / "env.txt");
    fs::create_symlink("loop", w->root / "loop");
    fs::create_symlink("missing", w->root / "dangling");
    fs::create_directory_symlink(w->root, w->root_link);
    return w;
}

void remove_web_root()
{
    std::error_code ec;
    fs::remove_all(world->base, ec);
}

void check_served(fs::path const& file)
{
    KRING_FUZZ_CHECK(fs::canonical(file) == file);
    KRING_FUZZ_CHECK(fs::is_regular_file(file));
    auto const [in_root, in_file] = std::mismatch(world->root.begin(), world->root.end(), file.begin(), file.end());
    KRING_FUZZ_CHECK(in_root == world->root.end());
    KRING_FUZZ_CHECK(in_file != file.end());
    for (auto part = in_file; part != file.end(); ++part)
        KRING_FUZZ_CHECK(!part->string().empty() && part->string().front() != '.');
    KRING_FUZZ_CHECK(!kring::content_type_for(file).empty());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    world = make_web_root();
    std::atexit(remove_web_root);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const target{reinterpret_cast<char const*>(data), size};
    auto const served = kring::resolve_static_path(world->root, target);
    if (served) {
        check_served(*served);
        auto const path = target.substr(0, target.find_first_of("?#"));
        KRING_FUZZ_CHECK(path.starts_with('/') && path.size() <= 256);
    }
    KRING_FUZZ_CHECK(kring::resolve_static_path(world->root_link, target) == served);
    return 0;
}
