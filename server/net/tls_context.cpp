#include "net/tls_context.hpp"

#include <boost/asio/ssl/context.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>

namespace kring {

namespace ssl = boost::asio::ssl;

namespace {

// Mozilla's intermediate configuration, guidelines version 5.7: these TLS 1.2
// suites (ECDHE and DHE key exchange, AEAD only). TLS 1.3 keeps OpenSSL's
// default suites, which are the profile's.
constexpr char const* tls12_ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                      "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                      "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                                      "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"
                                      "DHE-RSA-CHACHA20-POLY1305";
constexpr char const* curves = "X25519:prime256v1:secp384r1";

std::string openssl_reason(boost::system::error_code const& ec)
{
    auto const reason = ec.message();
    return reason.empty() ? "error " + std::to_string(ec.value()) : reason;
}

void apply_profile(SSL_CTX* handle)
{
    if (SSL_CTX_set_min_proto_version(handle, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(handle, tls12_ciphers) != 1 || SSL_CTX_set1_groups_list(handle, curves) != 1)
        throw std::runtime_error{"OpenSSL refused the TLS profile"};
    // DHE with the group of RFC 7919 that fits the key (ffdhe2048 for RSA 2048).
    SSL_CTX_set_dh_auto(handle, 1);
    // The profile lets the client choose among suites that are all strong.
    SSL_CTX_clear_options(handle, SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_options(handle, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
}

} // namespace

std::shared_ptr<ssl::context> make_server_tls(std::filesystem::path const& certificate,
                                              std::filesystem::path const& key)
{
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    apply_profile(context->native_handle());
    boost::system::error_code ec;
    context->use_certificate_chain_file(certificate.string(), ec);
    if (ec)
        throw std::runtime_error{"cannot use the certificate " + certificate.string() + ": " + openssl_reason(ec)};
    context->use_private_key_file(key.string(), ssl::context::pem, ec);
    if (ec)
        throw std::runtime_error{"cannot use the key " + key.string() + ": " + openssl_reason(ec)};
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
        ERR_clear_error();
        throw std::runtime_error{"the key " + key.string() + " does not belong to the certificate " +
                                 certificate.string()};
    }
    return context;
}

tls_context::tls_context(std::filesystem::path certificate, std::filesystem::path key)
    : certificate_(std::move(certificate))
    , key_(std::move(key))
    , current_(make_server_tls(certificate_, key_))
{
}

std::optional<std::string> tls_context::reload()
{
    try {
        auto fresh = make_server_tls(certificate_, key_);
        std::lock_guard lock{mutex_};
        current_ = std::move(fresh);
        return std::nullopt;
    } catch (std::exception const& e) {
        return e.what();
    }
}

std::shared_ptr<ssl::context> tls_context::current() const
{
    std::lock_guard lock{mutex_};
    return current_;
}

} // namespace kring
