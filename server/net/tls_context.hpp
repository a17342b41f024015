#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace kring {

// The server's TLS settings: Mozilla's intermediate profile (TLS 1.2 and
// 1.3, its cipher list and curves; see deploy/README.md) with the
// certificate chain and key read from two files. reload() reads them again
// (on SIGHUP): new handshakes use the new certificate, connections already
// open keep theirs; files that fail to load leave the old ones in use.
class tls_context {
public:
    // Throws std::runtime_error, saying which file failed and why.
    tls_context(std::filesystem::path certificate, std::filesystem::path key);

    // The error when the files could not be loaded; nothing on success.
    std::optional<std::string> reload();

    // What a new connection handshakes with. An open connection's OpenSSL
    // object holds its own reference to the context it started with, so a
    // reload never pulls it from under it.
    std::shared_ptr<boost::asio::ssl::context> current() const;

private:
    std::filesystem::path certificate_;
    std::filesystem::path key_;
    mutable std::mutex mutex_;
    std::shared_ptr<boost::asio::ssl::context> current_;
};

// A context with the profile and the two files; throws with the reason.
std::shared_ptr<boost::asio::ssl::context> make_server_tls(std::filesystem::path const& certificate,
                                                           std::filesystem::path const& key);

} // namespace kring
