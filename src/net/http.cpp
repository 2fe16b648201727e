#include "net/http.hpp"

#include "util/strings.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/x509.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <random>

namespace byos::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;
using Clock = std::chrono::steady_clock;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

Request Request::arm_get(Url url)
{
    return Request(Purpose::arm_read, std::move(url));
}

Result<Request> Request::graph_query(Url url, std::string json)
{
    auto const path = url.target.substr(0, url.target.find('?'));
    if (!iequals(path, "/providers/Microsoft.ResourceGraph/resources"))
        return Error{"", "",
                     "refusing a POST to " + url.text() +
                         ": only Resource Graph queries may be posted"};
    Request r(Purpose::graph_query, std::move(url));
    r.body_ = std::move(json);
    r.headers_.emplace_back("Content-Type", "application/json");
    return r;
}

Request Request::token(Url url, std::string form)
{
    Request r(Purpose::token, std::move(url));
    r.body_ = std::move(form);
    r.headers_.emplace_back("Content-Type",
                            "application/x-www-form-urlencoded");
    return r;
}

Request Request::managed_identity(Url url, std::string header,
                                  std::string value)
{
    Request r(Purpose::managed_identity, std::move(url));
    r.headers_.emplace_back(std::move(header), std::move(value));
    return r;
}

char const* Request::method() const
{
    switch (purpose_) {
    case Purpose::arm_read:
    case Purpose::managed_identity: return "GET";
    case Purpose::graph_query:
    case Purpose::token: return "POST";
    }
    return "GET";
}

namespace {

// One kept-alive connection, plain or TLS.
struct Connection
{
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;

    beast::tcp_stream& tcp()
    {
        return secure ? beast::get_lowest_layer(*secure) : *plain;
    }
};

// What one attempt gave: a response, or a failure and whether a retry may
// help.
struct Attempt
{
    int status = 0;
    std::string body;
    std::string failure;
    bool retryable = false;
    bool stale = false; // a reused connection failed before any answer
    std::optional<std::chrono::seconds> retry_after;
    bool keep_alive = false;
};

bool retryable_status(int status)
{
    return status == 408 || status == 429 || status == 500 ||
           status == 502 || status == 503 || status == 504;
}

// Retry-After in seconds; the HTTP-date form is not used by ARM.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view text)
{
    if (text.empty() || text.size() > 6)
        return std::nullopt;
    long seconds = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        seconds = seconds * 10 + (c - '0');
    }
    return std::chrono::seconds(seconds);
}

std::string describe(beast::error_code const& ec, char const* step)
{
    if (ec == beast::error::timeout)
        return std::string(step) + " timed out";
    return std::string(step) + " failed: " + ec.message();
}

// Certificate and handshake failures do not heal by themselves; a
// timeout, a refused or dropped connection may.
bool transient(beast::error_code const& ec)
{
    if (ec.category() == asio::error::get_ssl_category())
        return false;
    return ec != asio::error::host_not_found &&
           ec != asio::error::host_not_found_try_again;
}

// A counting semaphore for the in-flight limit. Waiters are woken in
// order; a released slot passes straight to the first of them.
class Slots
{
public:
    Slots(asio::any_io_executor executor, std::size_t count)
        : executor_(std::move(executor)), free_(count)
    {
    }

    awaitable<void> acquire()
    {
        if (free_ > 0) {
            --free_;
            co_return;
        }
        auto timer = std::make_shared<asio::steady_timer>(
            executor_, Clock::time_point::max());
        waiters_.push_back(timer);
        co_await timer->async_wait(use_tuple);
    }

    void release()
    {
        if (waiters_.empty()) {
            ++free_;
            return;
        }
        waiters_.front()->cancel();
        waiters_.pop_front();
    }

private:
    asio::any_io_executor executor_;
    std::size_t free_;
    std::deque<std::shared_ptr<asio::steady_timer>> waiters_;
};

}

struct Client::Impl
{
    Impl(asio::io_context& io, ClientOptions o)
        : io(io), options(std::move(o)), tls(ssl::context::tls_client),
          slots(io.get_executor(), std::max<std::size_t>(options.concurrency, 1)),
          random(std::random_device{}())
    {
    }

    asio::io_context& io;
    ClientOptions options;
    ssl::context tls;
    Slots slots;
    Authorizer authorizer;
    std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle;
    std::size_t in_flight = 0;
    ClientStats stats;
    std::mt19937 random;

    Status set_up_trust();
    // Null on failure, which `failed` then describes.
    awaitable<std::unique_ptr<Connection>>
    connect(Url const& url, std::chrono::milliseconds timeout,
            Attempt& failed);
    awaitable<Attempt> attempt(Request const& request,
                               std::string const& bearer);
    template <class Stream>
    awaitable<Attempt> exchange(Stream& stream, Connection& connection,
                                Request const& request,
                                std::string const& bearer);
    std::chrono::milliseconds backoff(int attempt);
};

// The system store first, then SSL_CERT_FILE, then --ca-file: each adds
// trust. OpenSSL alone would let SSL_CERT_FILE replace the system file.
Status Client::Impl::set_up_trust()
{
    SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
    tls.set_verify_mode(ssl::verify_peer);

    beast::error_code ec;
    if (auto const* dir = X509_get_default_cert_dir();
        dir && std::filesystem::is_directory(dir))
        tls.add_verify_path(dir, ec);
    if (auto const* file = X509_get_default_cert_file();
        file && std::filesystem::is_regular_file(file))
        tls.load_verify_file(file, ec);

    std::vector<std::pair<std::string, std::string>> extra;
    if (char const* env = std::getenv("SSL_CERT_FILE"); env && *env)
        extra.emplace_back(env, "SSL_CERT_FILE");
    if (!options.ca_file.empty())
        extra.emplace_back(options.ca_file, "--ca-file");
    for (auto const& [path, from] : extra) {
        tls.load_verify_file(path, ec);
        if (ec)
            return Error{path, "",
                         "cannot trust the certificates of " + from + ": " +
                             ec.message()};
    }
    return std::nullopt;
}

awaitable<std::unique_ptr<Connection>>
Client::Impl::connect(Url const& url, std::chrono::milliseconds timeout,
                      Attempt& failed)
{
    auto const fail = [&](beast::error_code const& ec, char const* step) {
        failed.failure = url.origin() + ": " + describe(ec, step);
        failed.retryable = transient(ec);
        return std::unique_ptr<Connection>();
    };
    auto connection = std::make_unique<Connection>();
    tcp::resolver resolver(io);
    auto [rec, endpoints] =
        co_await resolver.async_resolve(url.host, url.port, use_tuple);
    if (rec)
        co_return fail(rec, "lookup");

    if (url.tls)
        connection->secure.emplace(io, tls);
    else
        connection->plain.emplace(io);
    auto& tcp_stream = connection->tcp();
    tcp_stream.expires_after(timeout);
    auto [cec, _] = co_await tcp_stream.async_connect(endpoints, use_tuple);
    if (cec)
        co_return fail(cec, "connect");
    ++stats.connections;
    if (!url.tls)
        co_return connection;

    // Server name indication for names, and the certificate must name the
    // host (or its IP address) we meant to reach.
    auto& stream = *connection->secure;
    beast::error_code address_ec;
    asio::ip::make_address(url.host, address_ec);
    if (address_ec &&
        !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
        failed.failure = url.origin() + ": cannot set the TLS server name";
        co_return nullptr;
    }
    stream.set_verify_callback(ssl::host_name_verification(url.host));
    auto [hec] =
        co_await stream.async_handshake(ssl::stream_base::client, use_tuple);
    if (hec)
        co_return fail(hec, "TLS handshake");
    co_return connection;
}

template <class Stream>
awaitable<Attempt> Client::Impl::exchange(Stream& stream,
                                          Connection& connection,
                                          Request const& request,
                                          std::string const& bearer)
{
    Attempt out;
    http::request<http::string_body> message{
        request.purpose() == Purpose::graph_query ||
                request.purpose() == Purpose::token
            ? http::verb::post
            : http::verb::get,
        request.url().target, 11};
    message.set(http::field::host, request.url().host);
    message.set(http::field::user_agent, "byos-audit/" BYOS_AUDIT_VERSION);
    message.set(http::field::accept, "application/json");
    for (auto const& [name, value] : request.headers())
        message.set(name, value);
    if (!bearer.empty())
        message.set(http::field::authorization, "Bearer " + bearer);
    if (!request.body().empty() || message.method() == http::verb::post)
        message.body() = request.body();
    message.keep_alive(true);
    message.prepare_payload();

    connection.tcp().expires_after(
        request.timeout().value_or(options.request_timeout));
    auto [wec, written] = co_await http::async_write(stream, message, use_tuple);
    if (wec) {
        out.failure = describe(wec, "sending the request");
        out.retryable = transient(wec);
        out.stale = true;
        co_return out;
    }

    http::response_parser<http::string_body> parser;
    parser.body_limit(options.max_body);
    auto [rec, read] =
        co_await http::async_read(stream, connection.buffer, parser, use_tuple);
    if (rec) {
        out.failure = describe(rec, "reading the response");
        out.retryable = transient(rec);
        out.stale = !parser.got_some();
        co_return out;
    }
    auto& response = parser.get();
    out.status = static_cast<int>(response.result_int());
    out.body = std::move(response.body());
    out.keep_alive = response.keep_alive();
    out.retryable = retryable_status(out.status);
    if (out.status == 429 || out.status == 503)
        out.retry_after =
            parse_retry_after(std::string(response[http::field::retry_after]));
    co_return out;
}

awaitable<Attempt> Client::Impl::attempt(Request const& request,
                                         std::string const& bearer)
{
    auto const origin = request.url().origin();
    std::unique_ptr<Connection> connection;
    bool reused = false;
    if (auto& pool = idle[origin]; !pool.empty()) {
        connection = std::move(pool.back());
        pool.pop_back();
        reused = true;
    } else {
        Attempt failed;
        connection = co_await connect(
            request.url(), request.timeout().value_or(options.request_timeout),
            failed);
        if (!connection)
            co_return failed;
    }

    ++stats.requests;
    // Two statements, not a conditional expression: g++ 12 mixes up the
    // results of two co_awaits in the arms of one.
    Attempt out;
    if (connection->secure)
        out = co_await exchange(*connection->secure, *connection, request,
                                bearer);
    else
        out = co_await exchange(*connection->plain, *connection, request,
                                bearer);
    out.stale = out.stale && reused;
    if (out.status != 0 && out.keep_alive)
        idle[origin].push_back(std::move(connection));
    co_return out;
}

std::chrono::milliseconds Client::Impl::backoff(int attempt)
{
    std::uniform_real_distribution<double> jitter(0.8, 1.3);
    double const base = static_cast<double>(options.retry_base.count()) *
                        static_cast<double>(1u << std::min(attempt - 1, 16));
    auto const delay = static_cast<long long>(base * jitter(random));
    return std::min(std::chrono::milliseconds(delay), options.retry_max);
}

Result<std::unique_ptr<Client>> Client::create(asio::io_context& io,
                                               ClientOptions options)
{
    auto impl = std::make_unique<Impl>(io, std::move(options));
    if (auto error = impl->set_up_trust())
        return *error;
    return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Client::~Client() = default;

void Client::set_authorizer(Authorizer authorizer)
{
    impl_->authorizer = std::move(authorizer);
}

awaitable<Response> Client::send(Request const& request)
{
    auto& s = *impl_;
    Response response;
    for (int attempt = 1;; ++attempt) {
        response.attempts = attempt;
        if (Clock::now() >= s.options.deadline) {
            response.status = 0;
            response.failure = "the scan's deadline passed before the "
                               "request could be sent";
            co_return response;
        }

        // ARM requests take a slot, then the token, so that a token is
        // never held while waiting in the queue. Token and managed identity
        // requests go to Entra ID, not ARM, and take no slot: a refresh
        // that a slot holder waits for can always go out.
        bool const limited = request.needs_bearer();
        if (limited)
            co_await s.slots.acquire();
        std::string bearer;
        if (limited) {
            Result<std::string> token =
                Error{"", "", "no credential for ARM"};
            if (s.authorizer)
                token = co_await s.authorizer();
            if (!token) {
                s.slots.release();
                response.failure = token.error().describe();
                co_return response;
            }
            bearer = std::move(*token);
        }

        s.stats.peak_in_flight =
            std::max(s.stats.peak_in_flight, ++s.in_flight);
        auto result = co_await s.attempt(request, bearer);
        --s.in_flight;
        if (limited)
            s.slots.release();

        // A kept-alive connection the server had closed: try a new one at
        // once, without counting it as a failure.
        if (result.stale && result.status == 0) {
            --attempt;
            continue;
        }
        response.status = result.status;
        response.body = std::move(result.body);
        response.failure = std::move(result.failure);
        auto const attempts =
            request.attempts() ? request.attempts() : s.options.max_attempts;
        if (!result.retryable || attempt >= attempts)
            co_return response;

        auto delay = result.retry_after
                         ? std::chrono::duration_cast<std::chrono::milliseconds>(
                               *result.retry_after)
                         : s.backoff(attempt);
        if (Clock::now() + delay >= s.options.deadline)
            co_return response;
        ++s.stats.retries;
        asio::steady_timer timer(s.io, delay);
        co_await timer.async_wait(use_tuple);
    }
}

awaitable<void> Client::close()
{
    // Idle TLS connections end with close_notify. The errors a server
    // that already left gives are harmless here: end of stream, a
    // truncated stream (no close_notify back), a reset, and the timeout.
    for (auto& [origin, pool] : impl_->idle) {
        for (auto& connection : pool) {
            if (connection->secure) {
                connection->tcp().expires_after(std::chrono::seconds(2));
                co_await connection->secure->async_shutdown(use_tuple);
            }
            beast::error_code ignored;
            connection->tcp().socket().shutdown(tcp::socket::shutdown_both,
                                                ignored);
        }
        pool.clear();
    }
}

ClientStats Client::stats() const
{
    return impl_->stats;
}

}
