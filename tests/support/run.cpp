#include "support/run.hpp"

#include "util/files.hpp"

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <pty.h>
#include <signal.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace byos::test {

std::string make_temp_dir()
{
    // mkdtemp replaces the six trailing characters with a unique name.
    std::string pattern = "/tmp/byos-audit-test-XXXXXX";
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed");
    return pattern;
}

void write_text(std::string const& path, std::string const& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out)
        throw std::runtime_error("cannot write " + path);
}

std::string read_text(std::string const& path)
{
    auto text = read_text_file(path);
    if (!text)
        throw std::runtime_error(text.error().describe());
    return *text;
}

namespace {

struct Argv
{
    std::vector<std::string> storage;
    std::vector<char*> pointers;

    explicit Argv(std::vector<std::string> strings)
        : storage(std::move(strings))
    {
        for (auto& s : storage)
            pointers.push_back(s.data());
        pointers.push_back(nullptr);
    }
};

// The child's environment: the defaults below, each replaced by an entry
// of `env` with the same name, then the rest of `env`. The metadata
// service is always moved to a closed loopback port, so that no test can
// reach the real one through the managed identity credential.
std::vector<std::string> environment_of(std::vector<std::string> defaults,
                                        std::vector<std::string> const& env)
{
    defaults.push_back("AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:9");
    auto const name = [](std::string const& entry) {
        return entry.substr(0, entry.find('='));
    };
    std::vector<std::string> out;
    for (auto const& d : defaults) {
        bool replaced = false;
        for (auto const& e : env)
            replaced = replaced || name(e) == name(d);
        if (!replaced)
            out.push_back(d);
    }
    out.insert(out.end(), env.begin(), env.end());
    return out;
}

}

Run run_tool_on_terminal(std::vector<std::string> const& args,
                         std::vector<std::string> const& env)
{
    std::vector<std::string> argv{BYOS_AUDIT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    Argv a(std::move(argv));
    Argv e(environment_of({"PATH=/usr/bin:/bin", "TERM=xterm"}, env));

    int master = -1;
    pid_t const pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0)
        throw std::runtime_error("forkpty failed");
    if (pid == 0) {
        ::execve(a.pointers[0], a.pointers.data(), e.pointers.data());
        ::_exit(127);
    }

    // The child's exit closes the terminal; reading then fails with EIO.
    Run run;
    char buffer[4096];
    while (true) {
        auto const n = ::read(master, buffer, sizeof buffer);
        if (n <= 0)
            break;
        run.out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(master);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        run.exit_code = WEXITSTATUS(status);
    return run;
}

Run run_tool(std::vector<std::string> const& args,
             std::vector<std::string> const& env, std::string const& cwd,
             int timeout_seconds)
{
    auto const dir = make_temp_dir();
    auto const out_path = dir + "/stdout";
    auto const err_path = dir + "/stderr";

    std::vector<std::string> argv{BYOS_AUDIT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    Argv a(std::move(argv));
    Argv e(environment_of({"PATH=/usr/bin:/bin"}, env));

    pid_t const pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        int const out = ::open(out_path.c_str(), O_WRONLY | O_CREAT, 0600);
        int const err = ::open(err_path.c_str(), O_WRONLY | O_CREAT, 0600);
        int const in = ::open("/dev/null", O_RDONLY);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0)
            ::_exit(127);
        ::execve(a.pointers[0], a.pointers.data(), e.pointers.data());
        ::_exit(127);
    }

    Run run;
    int status = 0;
    auto const deadline = std::chrono::steady_clock::now() +
                          std::chrono::seconds(timeout_seconds);
    while (true) {
        auto const done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid)
            break;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            run.err = "test harness: killed after " +
                      std::to_string(timeout_seconds) + " s\n";
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (WIFEXITED(status))
        run.exit_code = WEXITSTATUS(status);
    run.out = read_text(out_path);
    run.err += read_text(err_path);
    ::unlink(out_path.c_str());
    ::unlink(err_path.c_str());
    ::rmdir(dir.c_str());
    return run;
}

}
