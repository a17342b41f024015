#pragma once

#include <sanitizer/common_interface_defs.h>

#include <cstdio>
#include <cstdlib>

// A promise the code under fuzzing broke ends the run like a crash, naming
// the promise, so that libFuzzer keeps the input that broke it. It is
// reported where the sanitizers report (standard error's file descriptor,
// whatever the target did with the stderr stream).
#define KRING_FUZZ_CHECK(condition) \
    ((condition) ? void(0) : ::kring::fuzz::broken(#condition, __FILE__, __LINE__))

namespace kring::fuzz {

[[noreturn]] inline void broken(char const* promise, char const* file, int line)
{
    char summary[1024];
    std::snprintf(summary, sizeof summary, "%s:%d: broken promise: %s", file, line, promise);
    __sanitizer_report_error_summary(summary);
    __sanitizer_print_stack_trace();
    std::abort();
}

} // namespace kring::fuzz
