#pragma once

// Where the scanner's token comes from, in the order and with the
// environment variables of the Azure SDKs' DefaultAzureCredential, so that
// what works for az and the SDKs works here: environment (a client
// secret), workload identity (a federated token file), managed identity
// (App Service's IDENTITY_ENDPOINT, then the instance metadata service),
// then the Azure CLI. Tokens live in memory only; they are never written,
// logged or put in an error message.

#include "net/http.hpp"
#include "util/error.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace byos::auth {

struct Cloud
{
    char const* name;
    char const* arm_endpoint;
    char const* authority_host;
    char const* audience; // the token's resource; scope is audience + .default
};

// AzureCloud, AzureUSGovernment and AzureChinaCloud.
extern std::array<Cloud, 3> const clouds;
Cloud const* cloud_named(std::string_view name);

enum class Kind
{
    environment,
    workload_identity,
    managed_identity,
    azure_cli,
};

char const* to_string(Kind kind);
std::optional<Kind> kind_named(std::string_view name); // as --auth names it
std::string kind_names();

// Reads an environment variable; tests pass their own.
using Getenv = std::function<std::string(char const*)>;
Getenv process_environment();

struct Settings
{
    std::optional<Kind> only; // --auth: this credential and no other
    std::string authority_host; // AZURE_AUTHORITY_HOST, else the cloud's
    std::string audience;
    // The metadata service; AZURE_POD_IDENTITY_AUTHORITY_HOST or
    // --imds-endpoint move it, as tests must.
    std::string imds_endpoint = "http://169.254.169.254";
    std::chrono::milliseconds cli_timeout{30'000};
};

struct Token
{
    std::string value;
    std::chrono::system_clock::time_point expires;
};

class Credential
{
public:
    virtual ~Credential() = default;
    virtual Kind kind() const = 0;
    // A fresh token, or an Error that says why, secret-free.
    virtual boost::asio::awaitable<Result<Token>> fetch(net::Client& client) = 0;
};

// The credential DefaultAzureCredential would use: the first whose
// variables are set, or, with `only`, that one. Managed identity through
// the metadata service is taken only when it answers a short probe, unless
// it was asked for by name; the Azure CLI only when `az` is on PATH.
boost::asio::awaitable<Result<std::unique_ptr<Credential>>>
choose(Settings const& settings, Getenv const& getenv, net::Client& client);

// Hands out the current token and fetches a new one when less than five
// minutes (or half its life, for short ones) are left. Concurrent callers
// wait for one fetch; a failed fetch fails them all, once.
class TokenCache
{
public:
    TokenCache(Credential& credential, net::Client& client,
               boost::asio::any_io_executor executor);

    boost::asio::awaitable<Result<std::string>> bearer();
    std::size_t fetches() const { return fetches_; }

private:
    Credential& credential_;
    net::Client& client_;
    boost::asio::any_io_executor executor_;
    std::optional<Token> token_;
    std::chrono::system_clock::time_point issued_;
    std::optional<Error> failed_;
    bool fetching_ = false;
    std::vector<std::shared_ptr<boost::asio::steady_timer>> waiting_;
    std::size_t fetches_ = 0;
};

}
