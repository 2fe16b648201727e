#include "support/run.hpp"

#include "util/files.hpp"

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <signal.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace byos::test {

std::string make_temp_dir()
{
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

Run run_tool(std::vector<std::string> const& args,
             std::vector<std::string> const& env, std::string const& cwd,
             int timeout_seconds)
{
    auto const dir = make_temp_dir();
    auto const out_path = dir + "/stdout";
    auto const err_path = dir + "/stderr";

    std::vector<std::string> argv_storage{BYOS_AUDIT_BINARY};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    std::vector<std::string> env_storage{"PATH=/usr/bin:/bin"};
    env_storage.insert(env_storage.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (auto& e : env_storage)
        envp.push_back(e.data());
    envp.push_back(nullptr);

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
        ::execve(argv[0], argv.data(), envp.data());
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
