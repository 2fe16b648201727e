#pragma once

// The scanner's only way to the network. A Request can be made in four
// ways, and each fixes its method: a GET to Azure Resource Manager, a POST
// of a query to Azure Resource Graph (which only reads), a POST of a form to
// an Entra ID token endpoint, and a GET to a managed identity endpoint.
// Nothing else can be expressed, so no code path can send PUT, PATCH,
// DELETE or a POST to ARM: the scanner is read-only by construction.
//
// The Client sends requests over kept-alive connections, at most
// `concurrency` ARM and Resource Graph requests at a time (token requests
// come on top), with a timeout on every step, and retries what
// is worth retrying (429 and 503 after their Retry-After, other 5xx,
// 408, timeouts and dropped connections) with exponential backoff and
// jitter, a bounded number of times and never past the deadline. TLS is
// always verified: the system trust store, plus SSL_CERT_FILE and a CA
// file when given; nothing turns verification off.

#include "net/url.hpp"
#include "util/error.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace byos::net {

enum class Purpose : unsigned char
{
    arm_read,         // GET, with the scan's bearer token
    graph_query,      // POST to /providers/Microsoft.ResourceGraph/resources
    token,            // POST of a form to a token endpoint
    managed_identity, // GET to IDENTITY_ENDPOINT or the metadata service
};

class Request
{
public:
    static Request arm_get(Url url);
    // An Error unless `url` is Resource Graph's query endpoint.
    static Result<Request> graph_query(Url url, std::string json);
    static Request token(Url url, std::string form);
    static Request managed_identity(Url url, std::string header,
                                    std::string value);

    Purpose purpose() const { return purpose_; }
    Url const& url() const { return url_; }
    std::string const& body() const { return body_; }
    // "GET" or "POST": a function of the purpose alone.
    char const* method() const;
    bool needs_bearer() const
    {
        return purpose_ == Purpose::arm_read ||
               purpose_ == Purpose::graph_query;
    }
    // A shorter timeout and fewer attempts for this request alone, for a
    // probe such as the metadata service's.
    Request& limit(std::chrono::milliseconds timeout, int attempts)
    {
        timeout_ = timeout;
        attempts_ = attempts;
        return *this;
    }
    std::optional<std::chrono::milliseconds> timeout() const
    {
        return timeout_;
    }
    int attempts() const { return attempts_; }

    // Extra headers; never the Authorization header, which the Client adds.
    std::vector<std::pair<std::string, std::string>> const& headers() const
    {
        return headers_;
    }

private:
    Request(Purpose purpose, Url url) : purpose_(purpose), url_(std::move(url))
    {
    }

    Purpose purpose_;
    Url url_;
    std::string body_;
    std::vector<std::pair<std::string, std::string>> headers_;
    std::optional<std::chrono::milliseconds> timeout_;
    int attempts_ = 0; // 0: the client's
};

struct Response
{
    int status = 0;      // 0 when no response came
    std::string body;    // verbatim
    std::string failure; // with status 0: what went wrong, secret-free
    int attempts = 0;
};

struct ClientOptions
{
    std::size_t concurrency = 16;
    std::chrono::milliseconds request_timeout{30'000};
    // No attempt starts, and no retry waits, past this point.
    std::chrono::steady_clock::time_point deadline =
        std::chrono::steady_clock::time_point::max();
    int max_attempts = 5;
    std::chrono::milliseconds retry_base{800};
    std::chrono::milliseconds retry_max{60'000};
    std::string ca_file; // trusted besides the system store; may be empty
    std::size_t max_body = 256u << 20;
};

struct ClientStats
{
    std::size_t requests = 0; // attempts sent, retries included
    std::size_t retries = 0;
    std::size_t connections = 0;
    std::size_t peak_in_flight = 0;
};

// Gives the bearer token for ARM and Resource Graph requests; asked before
// each of them, so a token can be refreshed between requests.
using Authorizer =
    std::function<boost::asio::awaitable<Result<std::string>>()>;

class Client
{
public:
    // An Error when the trust store cannot be set up (a CA file that does
    // not exist or holds no certificate).
    static Result<std::unique_ptr<Client>> create(boost::asio::io_context& io,
                                                  ClientOptions options);
    ~Client();

    void set_authorizer(Authorizer authorizer);

    // Sends `request` and returns the final response, after any retries.
    // Network failures are responses with status 0, never exceptions.
    // The request is taken by reference and must outlive the call: g++ 12
    // destroys a temporary argument of a co_await expression twice.
    boost::asio::awaitable<Response> send(Request const& request);

    // Closes the idle connections politely; call when done.
    boost::asio::awaitable<void> close();

    ClientStats stats() const;

private:
    struct Impl;
    explicit Client(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}
