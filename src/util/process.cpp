#include "util/process.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace byos {

std::string find_in_path(std::string const& name)
{
    char const* path = std::getenv("PATH");
    if (!path || name.find('/') != std::string::npos)
        return {};
    std::string_view rest = path;
    while (true) {
        auto const colon = rest.find(':');
        auto dir = rest.substr(0, colon);
        std::string candidate =
            (dir.empty() ? std::string(".") : std::string(dir)) + "/" + name;
        struct stat st{};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        if (colon == std::string_view::npos)
            return {};
        rest.remove_prefix(colon + 1);
    }
}

namespace {

// Closes both ends of the pipes it holds when it goes out of scope.
struct Pipes
{
    int out[2] = {-1, -1};
    int err[2] = {-1, -1};

    ~Pipes()
    {
        for (int fd : {out[0], out[1], err[0], err[1]})
            if (fd >= 0)
                ::close(fd);
    }
};

}

Result<ProcessOutput> run_process(std::vector<std::string> const& args,
                                  std::chrono::milliseconds limit,
                                  std::size_t max_output)
{
    if (args.empty())
        return Error{"", "", "no program to run"};
    auto const program = find_in_path(args[0]);
    if (program.empty())
        return Error{"", "", args[0] + " is not on PATH"};

    Pipes pipes;
    if (::pipe2(pipes.out, O_CLOEXEC) != 0 ||
        ::pipe2(pipes.err, O_CLOEXEC) != 0)
        return Error{"", "", std::string("pipe: ") + std::strerror(errno)};

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipes.out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipes.err[1], 2);
    std::vector<char*> argv;
    for (auto const& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    int const spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr,
                                    argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        return Error{"", "", program + ": " + std::strerror(spawned)};
    ::close(pipes.out[1]);
    ::close(pipes.err[1]);
    pipes.out[1] = pipes.err[1] = -1;

    // Read both streams until they close or the time runs out.
    ProcessOutput output;
    auto const until = std::chrono::steady_clock::now() + limit;
    bool killed = false;
    pollfd fds[2] = {{pipes.out[0], POLLIN, 0}, {pipes.err[0], POLLIN, 0}};
    std::string* sinks[2] = {&output.out, &output.err};
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(pid, SIGKILL);
            killed = true;
            break;
        }
        if (::poll(fds, 2, static_cast<int>(left.count())) < 0 &&
            errno != EINTR)
            break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            char buffer[4096];
            auto const n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n <= 0) {
                fds[i].fd = -1;
                continue;
            }
            if (sinks[i]->size() < max_output)
                sinks[i]->append(buffer, static_cast<std::size_t>(n));
        }
    }

    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    output.exit_code =
        !killed && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return output;
}

}
