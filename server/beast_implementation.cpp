// Beast is compiled once, here, instead of in every file that includes it
// (BOOST_BEAST_SEPARATE_COMPILATION); Asio is in asio_implementation.cpp.
#include <boost/beast/src.hpp>
