#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kring::test {

// A fresh temporary folder, removed with everything in it at the end.
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(temp_dir const&) = delete;
    temp_dir& operator=(temp_dir const&) = delete;

    std::filesystem::path const& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// The real kring binary, serving on a free port of 127.0.0.1 with a database
// of its own. Killed at the end of the test if it is still running.
class kring_process {
public:
    // `prepare` runs on the fresh database before the server starts (to add
    // circles with `kring room add`, say).
    explicit kring_process(std::vector<std::string> extra_args = {},
                           std::function<void(std::filesystem::path const& db)> const& prepare = {});
    ~kring_process();
    kring_process(kring_process const&) = delete;
    kring_process& operator=(kring_process const&) = delete;

    unsigned short port() const { return port_; }
    int pid() const { return pid_; }
    std::filesystem::path const& db() const { return db_; }
    std::string log() const;

    void signal(int sig) const;
    // The exit status, or nothing if it did not exit within `timeout`.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);

private:
    temp_dir dir_;
    std::filesystem::path db_;
    std::filesystem::path log_file_;
    int pid_ = -1;
    unsigned short port_ = 0;
};

// Runs `kring ARGS...` to completion; returns its exit status and output.
struct command_result {
    int status;
    std::string output;
};
command_result run_kring(std::vector<std::string> const& args, std::string const& stdin_text = {});

} // namespace kring::test
