// Boost.JSON compiled from its headers, for the fuzzing build only
// (KRING_FUZZ): every other build links Debian's libboost_json.
#include <boost/json/src.hpp>
