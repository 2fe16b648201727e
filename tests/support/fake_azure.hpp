#pragma once

// Test support: runs byos-fake-azure, the loopback stand-in for Entra ID
// and Azure Resource Manager (tests/fake_azure/README.md), for one test.
// start() makes a throwaway CA and a server certificate for 127.0.0.1,
// writes the estate and waits until the server listens; the destructor
// stops it and removes every file.
//
// The server dies with the thread that started it (PR_SET_PDEATHSIG), so
// a killed test binary leaves nothing behind; start it from the thread
// that runs the test, not from a worker thread that ends first.

#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <sys/types.h>

namespace byos::test {

class FakeAzure
{
public:
    // Starts a server for `estate` that stops by itself after
    // `max_seconds`. Throws std::runtime_error, with the server's own
    // message, when the certificates cannot be made or the server does not
    // listen within 10 seconds (a bad estate, for one).
    static std::unique_ptr<FakeAzure> start(boost::json::object const& estate,
                                            int max_seconds = 120);
    ~FakeAzure();
    FakeAzure(FakeAzure const&) = delete;
    FakeAzure& operator=(FakeAzure const&) = delete;

    int https_port() const { return https_port_; }
    int http_port() const { return http_port_; }
    std::string arm_endpoint() const;   // "https://127.0.0.1:PORT"
    std::string authority_host() const; // the same: Entra ID is there too
    std::string msi_endpoint() const;   // "http://127.0.0.1:PORT/msi/token"
    std::string imds_endpoint() const;  // "http://127.0.0.1:PORT"
    // The throwaway CA that signed the server's certificate (PEM).
    std::string const& ca_file() const { return ca_file_; }
    // The temporary folder; removed by the destructor.
    std::string const& dir() const { return dir_; }

    // The stats file as the server last wrote it. Every request is in it
    // by the time its response has been sent.
    boost::json::object stats() const;
    // What the server printed: one line per request, no credentials.
    std::string log() const;

    // Whether the server process is still running.
    bool running();
    // Sends SIGTERM, then SIGKILL after 2 seconds, and reaps the process.
    // Returns its exit code, or -1 when a signal ended it.
    int stop();

private:
    FakeAzure() = default;

    std::string dir_;
    std::string ca_file_;
    pid_t pid_ = -1;
    int exit_code_ = -1;
    int https_port_ = 0;
    int http_port_ = 0;
};

// Writes `dir`/az, a stand-in for the Azure CLI that answers
// `az account get-access-token` with a token it gets from `azure`'s
// metadata service, and notes its arguments in `dir`/az-args and the
// token in `dir`/az-token. Put `dir` first on PATH.
void write_fake_az(FakeAzure const& azure, std::string const& dir);

}
