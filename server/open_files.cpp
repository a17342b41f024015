#include "open_files.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <limits>

namespace kring {

std::size_t raise_open_file_limit()
{
    constexpr auto unlimited = std::numeric_limits<std::size_t>::max();
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return unlimited;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        // Linux refuses a soft limit above fs.nr_open (an "unlimited" hard
        // limit, say): the soft one then stays as it was.
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > unlimited)
        return unlimited;
    return static_cast<std::size_t>(limit.rlim_cur);
}

std::size_t connections_that_fit(std::size_t wanted, std::size_t open_files, std::size_t reserve)
{
    if (open_files <= reserve)
        return 0;
    return std::min(wanted, open_files - reserve);
}

} // namespace kring
