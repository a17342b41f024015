#include "kring_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace kring::test {
namespace {

std::string read_file(std::filesystem::path const& file)
{
    std::ifstream in{file};
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
}

// Starts the binary with stdout and stderr going to `output`, stdin from `input`.
int spawn(std::vector<std::string> const& args, std::filesystem::path const& output,
          std::filesystem::path const& input)
{
    std::vector<char*> argv;
    // KRING_BINARY in the environment runs another build, e.g. an older
    // one for a benchmark side by side; by default, the one just built.
    char const* chosen = std::getenv("KRING_BINARY");
    std::string binary = chosen && *chosen ? chosen : KRING_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copies = args;
    for (auto& a : copies)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    int const pid = fork();
    if (pid < 0)
        throw std::runtime_error{"fork failed"};
    if (pid == 0) {
        int const out = open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int const in = open(input.empty() ? "/dev/null" : input.c_str(), O_RDONLY);
        dup2(out, 1);
        dup2(out, 2);
        dup2(in, 0);
        execv(argv[0], argv.data());
        _exit(127);
    }
    return pid;
}

std::optional<int> wait_for(int pid, std::chrono::milliseconds timeout)
{
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        int const done = waitpid(pid, &status, WNOHANG);
        if (done == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (std::chrono::steady_clock::now() > deadline)
            return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
}

} // namespace

temp_dir::temp_dir()
{
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() / ("kring-test-" + std::to_string(random()) + std::to_string(getpid()));
    std::filesystem::create_directories(path_);
}

temp_dir::~temp_dir()
{
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

kring_process::kring_process(std::vector<std::string> extra_args,
                             std::function<void(std::filesystem::path const& db)> const& prepare)
    : db_(dir_.path() / "kring.db")
    , log_file_(dir_.path() / "kring.log")
{
    if (prepare)
        prepare(db_);
    auto const port_file = dir_.path() / "port";
    std::vector<std::string> args{"serve", "--listen", "127.0.0.1:0", "--db", db_.string(), "--demo",
                                  "--port-file", port_file.string(), "--web-root", KRING_WEB_ROOT,
                                  "--threads", "2"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    pid_ = spawn(args, log_file_, {});

    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    while (!std::filesystem::exists(port_file)) {
        if (wait_for(pid_, std::chrono::milliseconds{0}) || std::chrono::steady_clock::now() > deadline) {
            pid_ = -1;
            throw std::runtime_error{"kring did not start:\n" + log()};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    port_ = static_cast<unsigned short>(std::stoi(read_file(port_file)));
}

kring_process::~kring_process()
{
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
}

std::string kring_process::log() const
{
    return read_file(log_file_);
}

void kring_process::signal(int sig) const
{
    kill(pid_, sig);
}

std::optional<int> kring_process::wait_exit(std::chrono::milliseconds timeout)
{
    auto status = wait_for(pid_, timeout);
    if (status)
        pid_ = -1;
    return status;
}

command_result run_kring(std::vector<std::string> const& args, std::string const& stdin_text)
{
    temp_dir dir;
    auto const input = dir.path() / "stdin";
    std::ofstream{input} << stdin_text;
    auto const output = dir.path() / "output";
    int const pid = spawn(args, output, input);
    auto const status = wait_for(pid, std::chrono::seconds{20});
    if (!status) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        throw std::runtime_error{"kring did not finish"};
    }
    return {*status, read_file(output)};
}

} // namespace kring::test
