#include "net/static_files.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace kring {
namespace {

bool is_safe_segment(std::string_view segment)
{
    if (segment.empty() || segment.front() == '.')
        return false;
    for (char const c : segment)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return false;
    return true;
}

// Where `file` really is, if that is a regular file below `root` reached by
// plain names only. A symbolic link inside the web root may point elsewhere
// inside it, never out of it, nor to a hidden file.
std::optional<std::filesystem::path> real_file_below(std::filesystem::path const& root,
                                                     std::filesystem::path const& file)
{
    std::error_code ec;
    auto const real_root = std::filesystem::canonical(root, ec);
    if (ec)
        return std::nullopt;
    auto real = std::filesystem::canonical(file, ec);
    if (ec)
        return std::nullopt;
    auto const [in_root, in_file] = std::mismatch(real_root.begin(), real_root.end(), real.begin(), real.end());
    if (in_root != real_root.end() || in_file == real.end())
        return std::nullopt;
    for (auto part = in_file; part != real.end(); ++part)
        if (!is_safe_segment(part->string()))
            return std::nullopt;
    if (!std::filesystem::is_regular_file(real, ec))
        return std::nullopt;
    return real;
}

} // namespace

std::optional<std::filesystem::path> resolve_static_path(std::filesystem::path const& web_root,
                                                         std::string_view target)
{
    target = target.substr(0, target.find_first_of("?#"));
    if (!target.starts_with('/') || target.size() > 256)
        return std::nullopt;
    if (target == "/")
        target = "/index.html";

    std::filesystem::path file = web_root;
    std::string_view rest = target.substr(1);
    while (!rest.empty()) {
        auto const slash = rest.find('/');
        auto const segment = rest.substr(0, slash);
        if (!is_safe_segment(segment))
            return std::nullopt;
        file /= std::filesystem::path{segment};
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (slash != std::string_view::npos && rest.empty())
            return std::nullopt; // a trailing slash names a folder
    }
    return real_file_below(web_root, file);
}

std::string_view content_type_for(std::filesystem::path const& file)
{
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> types{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
        {".woff2", "font/woff2"},
    }};
    auto const extension = file.extension().string();
    for (auto const& [ext, type] : types)
        if (extension == ext)
            return type;
    return "application/octet-stream";
}

} // namespace kring
