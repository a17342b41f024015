// Beast and Asio's TLS streams are compiled once, here, instead of in every
// file that includes them (BOOST_BEAST_SEPARATE_COMPILATION); the rest of
// Asio is in asio_implementation.cpp.
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
