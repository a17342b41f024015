#include "net/static_files.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
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

bool named_by_content(std::filesystem::path const& file)
{
    auto const extension = file.extension().string();
    if (extension != ".js" && extension != ".css")
        return false;
    auto const stem = file.stem().string();
    constexpr std::size_t hash_length = 8;
    if (stem.size() < hash_length + 2 || stem[stem.size() - hash_length - 1] != '-')
        return false;
    return std::all_of(stem.end() - hash_length, stem.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

namespace {

std::string_view trimmed(std::string_view s)
{
    auto const first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool same_letters(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == y; });
}

// A weight ("q=0.5") above zero; none at all is 1.
bool weighs_something(std::string_view parameters)
{
    while (!parameters.empty()) {
        auto const semicolon = parameters.find(';');
        auto const parameter = trimmed(parameters.substr(0, semicolon));
        parameters = semicolon == std::string_view::npos ? std::string_view{} : parameters.substr(semicolon + 1);
        if (parameter.size() < 2 || !same_letters(parameter.substr(0, 2), "q="))
            continue;
        auto const weight = trimmed(parameter.substr(2));
        return weight.find_first_not_of("0.") != std::string_view::npos;
    }
    return true;
}

} // namespace

bool accepts_gzip(std::string_view accept_encoding)
{
    std::optional<bool> gzip;
    std::optional<bool> any;
    while (!accept_encoding.empty()) {
        auto const comma = accept_encoding.find(',');
        auto const element = accept_encoding.substr(0, comma);
        accept_encoding = comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
        auto const semicolon = element.find(';');
        auto const coding = trimmed(element.substr(0, semicolon));
        auto const parameters = semicolon == std::string_view::npos ? std::string_view{} : element.substr(semicolon + 1);
        if (same_letters(coding, "gzip") || same_letters(coding, "x-gzip"))
            gzip = weighs_something(parameters);
        else if (coding == "*")
            any = weighs_something(parameters);
    }
    return gzip.value_or(any.value_or(false));
}

std::optional<std::filesystem::path> gzipped_copy(std::filesystem::path const& web_root, std::string_view target,
                                                  std::filesystem::path const& original)
{
    target = target.substr(0, target.find_first_of("?#"));
    std::string name{target == "/" ? std::string_view{"/index.html"} : target};
    auto copy = resolve_static_path(web_root, name + ".gz");
    if (!copy)
        return std::nullopt;
    // A copy older than its file was made before the file last changed.
    std::error_code ec;
    auto const copied = std::filesystem::last_write_time(*copy, ec);
    if (ec)
        return std::nullopt;
    auto const changed = std::filesystem::last_write_time(original, ec);
    if (ec || copied < changed)
        return std::nullopt;
    return copy;
}

} // namespace kring
