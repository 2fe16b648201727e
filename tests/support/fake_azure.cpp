#include "support/fake_azure.hpp"

#include "support/run.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <signal.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace bj = boost::json;

namespace byos::test {

namespace {

using namespace std::chrono_literals;

// The CA's and the server's OpenSSL settings, written to files so that no
// system configuration can change the certificates.
constexpr char const* ca_config = R"([req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
CN = byos-audit throwaway test CA
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
)";

constexpr char const* leaf_config = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = localhost
)";

constexpr char const* leaf_extensions =
    R"(basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
authorityKeyIdentifier = keyid
subjectKeyIdentifier = hash
)";

// Starts `args[0]`, found in PATH, with standard output and error going to
// `log`. The child gets SIGTERM when this thread ends.
pid_t spawn(std::vector<std::string> args, std::string const& log)
{
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    pid_t const parent = ::getpid();
    pid_t const pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127);
        int const out =
            ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        int const in = ::open("/dev/null", O_RDONLY);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

// Waits for `pid` up to `limit`; its exit code, -1 after a signal, or
// nothing while it still runs.
std::optional<int> reap(pid_t pid, std::chrono::milliseconds limit)
{
    auto const deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (std::chrono::steady_clock::now() >= deadline)
            return std::nullopt;
        std::this_thread::sleep_for(5ms);
    }
}

void run_openssl(std::vector<std::string> args, std::string const& dir)
{
    args.insert(args.begin(), "openssl");
    auto const log = dir + "/openssl.log";
    auto const pid = spawn(args, log);
    auto const code = reap(pid, 30s);
    if (!code) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
    if (code != 0)
        throw std::runtime_error("openssl " + args[1] +
                                 " failed: " + read_text(log));
}

// A CA, and a P-256 server certificate for 127.0.0.1 and localhost that
// it signed, valid for two days.
void make_certificates(std::string const& dir)
{
    write_text(dir + "/ca.cnf", ca_config);
    write_text(dir + "/leaf.cnf", leaf_config);
    write_text(dir + "/leaf.ext", leaf_extensions);
    std::vector<std::string> const p256 = {
        "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};

    std::vector<std::string> ca = {
        "req",           "-x509", "-config",       dir + "/ca.cnf", "-keyout",
        dir + "/ca.key", "-out",  dir + "/ca.pem", "-days",         "2"};
    ca.insert(ca.end(), p256.begin(), p256.end());
    run_openssl(ca, dir);

    std::vector<std::string> csr = {"req",     "-new",
                                    "-config", dir + "/leaf.cnf",
                                    "-keyout", dir + "/server.key",
                                    "-out",    dir + "/server.csr"};
    csr.insert(csr.end(), p256.begin(), p256.end());
    run_openssl(csr, dir);

    run_openssl({"x509", "-req", "-in", dir + "/server.csr", "-CA",
                 dir + "/ca.pem", "-CAkey", dir + "/ca.key", "-CAcreateserial",
                 "-CAserial", dir + "/ca.srl", "-out", dir + "/server.pem",
                 "-days", "2", "-extfile", dir + "/leaf.ext"},
                dir);
}

}

std::unique_ptr<FakeAzure> FakeAzure::start(bj::object const& estate,
                                            int max_seconds)
{
    // Owned from the start, so that a failure below still cleans up.
    std::unique_ptr<FakeAzure> fake(new FakeAzure);
    fake->dir_ = make_temp_dir();
    auto const& dir = fake->dir_;
    make_certificates(dir);
    fake->ca_file_ = dir + "/ca.pem";
    write_text(dir + "/estate.json", bj::serialize(estate));

    auto const ports = dir + "/ports.json";
    fake->pid_ =
        spawn({BYOS_FAKE_AZURE_BINARY, "--estate", dir + "/estate.json",
               "--cert", dir + "/server.pem", "--key", dir + "/server.key",
               "--port-file", ports, "--stats-file", dir + "/stats.json",
               "--max-seconds", std::to_string(max_seconds), "--verbose"},
              dir + "/server.log");

    auto const deadline = std::chrono::steady_clock::now() + 10s;
    while (!std::filesystem::exists(ports)) {
        if (!fake->running())
            throw std::runtime_error("byos-fake-azure exited: " + fake->log());
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("byos-fake-azure did not listen within "
                                     "10 s: " +
                                     fake->log());
        std::this_thread::sleep_for(5ms);
    }
    auto const parsed = bj::parse(read_text(ports)).as_object();
    fake->https_port_ = static_cast<int>(parsed.at("https").as_int64());
    fake->http_port_ = static_cast<int>(parsed.at("http").as_int64());
    return fake;
}

FakeAzure::~FakeAzure()
{
    stop();
    std::error_code ec;
    if (!dir_.empty())
        std::filesystem::remove_all(dir_, ec);
}

std::string FakeAzure::arm_endpoint() const
{
    return "https://127.0.0.1:" + std::to_string(https_port_);
}

std::string FakeAzure::authority_host() const
{
    return arm_endpoint();
}

std::string FakeAzure::msi_endpoint() const
{
    return imds_endpoint() + "/msi/token";
}

std::string FakeAzure::imds_endpoint() const
{
    return "http://127.0.0.1:" + std::to_string(http_port_);
}

bj::object FakeAzure::stats() const
{
    return bj::parse(read_text(dir_ + "/stats.json")).as_object();
}

std::string FakeAzure::log() const
{
    std::error_code ec;
    if (!std::filesystem::exists(dir_ + "/server.log", ec))
        return {};
    return read_text(dir_ + "/server.log");
}

bool FakeAzure::running()
{
    if (pid_ <= 0)
        return false;
    if (auto const code = reap(pid_, 0ms)) {
        exit_code_ = *code;
        pid_ = -1;
        return false;
    }
    return true;
}

int FakeAzure::stop()
{
    if (!running())
        return exit_code_;
    ::kill(pid_, SIGTERM);
    auto code = reap(pid_, 2s);
    if (!code) {
        ::kill(pid_, SIGKILL);
        code = reap(pid_, 10s);
    }
    exit_code_ = code.value_or(-1);
    pid_ = -1;
    return exit_code_;
}

void write_fake_az(FakeAzure const& azure, std::string const& dir)
{
    auto const az = dir + "/az";
    write_text(az, "#!/bin/bash\n"
                   "echo \"$@\" > '" +
                       dir +
                       "/az-args'\n"
                       "exec 3<>/dev/tcp/127.0.0.1/" +
                       std::to_string(azure.http_port()) +
                       "\n"
                       "printf 'GET /metadata/identity/oauth2/token?"
                       "api-version=2018-02-01&resource=https%%3A%%2F%%2F"
                       "management.azure.com%%2F HTTP/1.1\\r\\nHost: "
                       "127.0.0.1\\r\\nMetadata: true\\r\\nConnection: "
                       "close\\r\\n\\r\\n' >&3\n"
                       "token=$(cat <&3 | tr -d '\\r' | grep -o "
                       "'\"access_token\":\"[^\"]*\"' | cut -d'\"' -f4)\n"
                       "echo \"$token\" > '" +
                       dir +
                       "/az-token'\n"
                       "echo \"{\\\"accessToken\\\": \\\"$token\\\", "
                       "\\\"expires_on\\\": $(( $(date +%s) + 3600 )), "
                       "\\\"tokenType\\\": \\\"Bearer\\\"}\"\n");
    ::chmod(az.c_str(), 0755);
}

}
