#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <string_view>

// The store's tests against PostgreSQL (the test suite "postgresql") share
// one server, which they start for themselves: they run only when asked
// for by suite (ctest runs them as one test, in one process), never one
// process per test case the way ctest runs the others.
int main(int argc, char** argv)
{
    doctest::Context context;
    bool suite_asked = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view const arg = argv[i];
        suite_asked = suite_asked || arg.starts_with("--test-suite=") || arg.starts_with("-ts=");
    }
    if (!suite_asked)
        context.addFilter("test-suite-exclude", "postgresql");
    context.applyCommandLine(argc, argv);
    return context.run();
}
