#include "scratch_folder.hpp"
#include "net/static_files.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

namespace fs = std::filesystem;
using kring::content_type_for;
using kring::resolve_static_path;
using kring::test::scratch_folder;

namespace {

void write_file(fs::path const& file, std::string_view content = "x")
{
    fs::create_directories(file.parent_path());
    std::ofstream{file} << content;
    REQUIRE(fs::is_regular_file(file));
}

} // namespace

TEST_CASE("request targets resolve to files below the web root and nowhere else")
{
    scratch_folder const folder;
    auto const root = fs::weakly_canonical(folder.path) / "www"; // answers are canonical paths
    // Every refused target below names a file that exists, so only the rule refuses it.
    write_file(root / "index.html");
    write_file(root / "app.js");
    write_file(root / "sub" / "x.css");
    write_file(root / ".hidden");
    write_file(root / "%2e%2e" / "x");
    write_file(root / "a\\b");
    write_file(root / "sub" / "index.html");
    write_file(folder.path / "etc" / "passwd");
    write_file(folder.path / "secret.txt");

    SUBCASE("\"/\" is the index page")
    {
        CHECK(resolve_static_path(root, "/") == std::optional<fs::path>{root / "index.html"});
    }
    SUBCASE("plain files, with query or fragment dropped")
    {
        CHECK(resolve_static_path(root, "/app.js") == std::optional<fs::path>{root / "app.js"});
        CHECK(resolve_static_path(root, "/app.js?v=1") == std::optional<fs::path>{root / "app.js"});
        CHECK(resolve_static_path(root, "/app.js#top") == std::optional<fs::path>{root / "app.js"});
        CHECK(resolve_static_path(root, "/index.html") == std::optional<fs::path>{root / "index.html"});
        CHECK(resolve_static_path(root, "/sub/x.css") == std::optional<fs::path>{root / "sub" / "x.css"});
        CHECK(resolve_static_path(root, "/sub/x.css?/../../etc/passwd") ==
              std::optional<fs::path>{root / "sub" / "x.css"});
    }
    SUBCASE("escapes, hidden files, folders and odd forms are refused")
    {
        for (std::string_view const target : {
                 "/../etc/passwd",
                 "/../secret.txt",
                 "/sub/../../secret.txt",
                 "/%2e%2e/x",
                 "/sub/../app.js",
                 "/./app.js",
                 "/.hidden",
                 "/sub/",
                 "/sub",
                 "//app.js",
                 "/sub//x.css",
                 "/app.js/",
                 "/a\\b",
                 "/app%2ejs",
                 "app.js",
                 "",
                 "?x",
                 "/missing.js",
                 "http://host/app.js",
             }) {
            CAPTURE(target);
            CHECK_FALSE(resolve_static_path(root, target).has_value());
        }
    }
    SUBCASE("a target of up to 256 characters is served, a longer one is not")
    {
        // Nested folders keep each name short enough for the file system.
        auto const a = std::string(100, 'a');
        auto const b = std::string(100, 'b');
        auto const short_name = std::string(256 - 1 - 100 - 1 - 100 - 1, 'c');
        auto const long_name = std::string(300 - 1 - 100 - 1 - 100 - 1, 'd');
        write_file(root / a / b / short_name);
        write_file(root / a / b / long_name);
        auto const at_limit = "/" + a + "/" + b + "/" + short_name;
        auto const past_limit = "/" + a + "/" + b + "/" + long_name;
        REQUIRE(at_limit.size() == 256);
        REQUIRE(past_limit.size() == 300);
        CHECK(resolve_static_path(root, at_limit) == std::optional<fs::path>{root / a / b / short_name});
        CHECK_FALSE(resolve_static_path(root, past_limit).has_value());
    }
}

TEST_CASE("a symbolic link is followed only while it stays below the web root")
{
    scratch_folder const folder;
    auto const base = fs::canonical(folder.path);
    auto const root = base / "www";
    write_file(root / "app.js");
    write_file(root / "sub" / "x.css");
    write_file(root / ".env", "secret");
    write_file(base / "secret.txt", "secret");
    write_file(base / "etc" / "passwd", "secret");

    SUBCASE("a link to a file outside the root is not served")
    {
        fs::create_symlink(base / "etc" / "passwd", root / "x");
        fs::create_symlink("../secret.txt", root / "relative.txt");
        CHECK_FALSE(resolve_static_path(root, "/x").has_value());
        CHECK_FALSE(resolve_static_path(root, "/relative.txt").has_value());
    }
    SUBCASE("a link to a folder outside the root, or to the root's parent, leads nowhere")
    {
        fs::create_directory_symlink(base / "etc", root / "conf");
        fs::create_directory_symlink("..", root / "up");
        CHECK_FALSE(resolve_static_path(root, "/conf/passwd").has_value());
        CHECK_FALSE(resolve_static_path(root, "/up/secret.txt").has_value());
        // What counts is where the file really is: this one is back inside.
        CHECK(resolve_static_path(root, "/up/www/app.js") == std::optional<fs::path>{root / "app.js"});
    }
    SUBCASE("a chain of links that ends outside the root is not served")
    {
        fs::create_symlink("../../secret.txt", root / "sub" / "hop2");
        fs::create_symlink("sub/hop2", root / "hop");
        CHECK_FALSE(resolve_static_path(root, "/hop").has_value());
    }
    SUBCASE("a link to a hidden file inside the root is not served")
    {
        fs::create_symlink(".env", root / "env.txt");
        CHECK_FALSE(resolve_static_path(root, "/env.txt").has_value());
    }
    SUBCASE("a link that stays inside the root serves the file it names")
    {
        fs::create_symlink("app.js", root / "alias.js");
        fs::create_directory_symlink("sub", root / "styles");
        CHECK(resolve_static_path(root, "/alias.js") == std::optional<fs::path>{root / "app.js"});
        CHECK(resolve_static_path(root, "/styles/x.css") == std::optional<fs::path>{root / "sub" / "x.css"});
    }
    SUBCASE("a web root that is itself a link serves its files, and only them")
    {
        fs::create_directory_symlink(root, base / "current");
        CHECK(resolve_static_path(base / "current", "/app.js") == std::optional<fs::path>{root / "app.js"});
        fs::create_symlink(base / "secret.txt", root / "leak.txt");
        CHECK_FALSE(resolve_static_path(base / "current", "/leak.txt").has_value());
    }
}

TEST_CASE("content types follow the file extension")
{
    CHECK(content_type_for("index.html") == "text/html; charset=utf-8");
    CHECK(content_type_for("/srv/www/app.js") == "text/javascript; charset=utf-8");
    CHECK(content_type_for("module.mjs") == "text/javascript; charset=utf-8");
    CHECK(content_type_for("sub/x.css") == "text/css; charset=utf-8");
    CHECK(content_type_for("data.json") == "application/json");
    CHECK(content_type_for("logo.svg") == "image/svg+xml");
    CHECK(content_type_for("logo.png") == "image/png");
    CHECK(content_type_for("favicon.ico") == "image/x-icon");
    CHECK(content_type_for("robots.txt") == "text/plain; charset=utf-8");
    CHECK(content_type_for("app.webmanifest") == "application/manifest+json");
    CHECK(content_type_for("font.woff2") == "font/woff2");
    CHECK(content_type_for("archive.tar.gz") == "application/octet-stream");
    CHECK(content_type_for("README") == "application/octet-stream");
    CHECK(content_type_for("app.js.map") == "application/octet-stream");
    CHECK(content_type_for("html") == "application/octet-stream");
}

TEST_CASE("gzip is taken when Accept-Encoding names it, or anything, with a weight above zero")
{
    using kring::accepts_gzip;
    for (std::string_view const yes : {"gzip", "GZip", "x-gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5",
                                       " gzip ; q=0.001 ", "*", "deflate, *;q=0.1", "gzip;Q=1", "gzip;level=1"})
        CHECK_MESSAGE(accepts_gzip(yes), yes);
    for (std::string_view const no : {"", "identity", "br", "deflate, br", "gzip;q=0", "gzip;q=0.000, br", "*;q=0",
                                      "gzip;q=0, *", "gzipx", "xgzip", ",,;", "q=1"})
        CHECK_FALSE_MESSAGE(accepts_gzip(no), no);
}

TEST_CASE("a gzipped copy is the one beside the file, below the web root, and not older than the file")
{
    using kring::gzipped_copy;
    scratch_folder const folder;
    auto const root = fs::weakly_canonical(folder.path) / "web";
    write_file(root / "app.js", "new");
    write_file(root / "app.js.gz", "zipped");
    write_file(root / "index.html", "<!doctype html>");
    write_file(root / "index.html.gz", "zipped");
    write_file(root / "alone.js", "no copy");
    write_file(root / "stale.js", "changed");
    write_file(root / "stale.js.gz", "zipped before");
    auto const now = fs::last_write_time(root / "stale.js");
    fs::last_write_time(root / "stale.js.gz", now - std::chrono::hours{1});
    auto const file = [&](std::string_view target) { return resolve_static_path(root, target).value(); };

    CHECK(gzipped_copy(root, "/app.js", file("/app.js")) == fs::canonical(root / "app.js.gz"));
    CHECK(gzipped_copy(root, "/app.js?v=3#top", file("/app.js")) == fs::canonical(root / "app.js.gz"));
    CHECK(gzipped_copy(root, "/", file("/")) == fs::canonical(root / "index.html.gz"));
    CHECK(gzipped_copy(root, "/alone.js", file("/alone.js")) == std::nullopt);
    CHECK(gzipped_copy(root, "/stale.js", file("/stale.js")) == std::nullopt);
    CHECK(gzipped_copy(root, "/../app.js", file("/app.js")) == std::nullopt);
}

TEST_CASE("a bundle named by its content is told apart from the files that keep their names")
{
    using kring::named_by_content;
    for (std::string_view const yes : {"app-3FFH6JNU.js", "chunk-ZDMFTIOM.js", "style-SZMDKOKY.css", "/srv/web/moderator-JM1JVNGB.js"})
        CHECK_MESSAGE(named_by_content(std::filesystem::path{yes}), yes);
    for (std::string_view const no : {"app.js", "style.css", "index.html", "en.json", "app-3FFH6JN.js", "app-3FFH6JNUX.js",
                                      "app-3ffh6jnu.js", "app_3FFH6JNU.js", "-3FFH6JNU.js", "app-3FFH6JNU.json",
                                      "app-3FFH-JNU.js", "font-ABCDEFGH.woff2"})
        CHECK_FALSE_MESSAGE(named_by_content(std::filesystem::path{no}), no);
}
