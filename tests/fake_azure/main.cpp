// byos-fake-azure: Entra ID, the managed identity endpoints and Azure
// Resource Manager, played on 127.0.0.1 for the scanner's end-to-end
// tests. This file owns the sockets: one HTTPS and one plain HTTP port,
// a coroutine per connection, keep-alive, a timeout on every read and
// write, and the faults that act on the connection itself. What is
// answered is decided in service.cpp. See README.md for the estate file.

#include "fake_azure/service.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <tuple>
#include <unistd.h>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace fake = byos::fake;
using tcp = asio::ip::tcp;

// Every awaited operation reports its error as a value.
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

constexpr auto handshake_timeout = std::chrono::seconds(10);
constexpr auto write_timeout = std::chrono::seconds(10);
constexpr auto shutdown_timeout = std::chrono::seconds(2);
constexpr std::uint64_t max_request_body = 1u << 20;

struct Options
{
    std::string estate;
    std::string cert;
    std::string key;
    std::string port_file;
    std::string stats_file;
    long max_seconds = 300;
    bool verbose = false;
};

constexpr char const* usage =
    "usage: byos-fake-azure --estate FILE --cert FILE --key FILE\n"
    "                       --port-file FILE --stats-file FILE\n"
    "                       [--max-seconds N] [--verbose]\n";

// The options, or a message for stderr.
fake::Checked<Options> parse_options(int argc, char** argv)
{
    Options options;
    std::pair<char const*, std::string*> const files[] = {
        {"--estate", &options.estate},
        {"--cert", &options.cert},
        {"--key", &options.key},
        {"--port-file", &options.port_file},
        {"--stats-file", &options.stats_file},
    };
    for (int i = 1; i < argc; ++i) {
        std::string const arg = argv[i];
        if (arg == "--verbose") {
            options.verbose = true;
            continue;
        }
        if (i + 1 == argc)
            return fake::Problem::saying(arg + " needs a value");
        std::string const value = argv[++i];
        bool known = false;
        for (auto const& [name, field] : files) {
            if (arg == name) {
                *field = value;
                known = true;
            }
        }
        if (arg == "--max-seconds") {
            try {
                options.max_seconds = std::stol(value);
            } catch (std::exception const&) {
                return fake::Problem::saying("--max-seconds takes a number");
            }
            known = options.max_seconds > 0;
        }
        if (!known)
            return fake::Problem::saying("unknown or bad option " + arg);
    }
    for (auto const& [name, field] : files)
        if (field->empty())
            return fake::Problem::saying(std::string(name) + " is required");
    return options;
}

std::optional<std::string> read_file(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Readers see the old file or the whole new one, never a part: the text
// goes to a temporary file beside `path`, which is renamed over it.
bool write_atomically(std::string const& path, std::string const& text)
{
    auto const temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush())
            return false;
    }
    return std::rename(temporary.c_str(), path.c_str()) == 0;
}

class Server
{
public:
    Server(asio::io_context& io, ssl::context& tls, fake::Service& service,
           Options const& options, std::chrono::seconds idle_timeout)
        : io_(io), tls_(tls), service_(service), options_(options),
          idle_timeout_(idle_timeout)
    {
    }

    asio::awaitable<void> accept(tcp::acceptor& acceptor, fake::Port port);
    void save_stats();

private:
    enum class End
    {
        graceful, // the peer is done, or keep-alive ends: close politely
        abrupt,   // a fault or a broken peer: close the socket at once
    };

    asio::awaitable<void> serve_tls(tcp::socket socket);
    asio::awaitable<void> serve_plain(tcp::socket socket);
    template <class Stream>
    asio::awaitable<End> exchanges(Stream& stream, fake::Port port);
    template <class Stream>
    asio::awaitable<std::optional<End>>
    deliver(Stream& stream, http::request<http::string_body> const& in,
            fake::Reply const& reply);
    void log(std::string const& line);

    asio::io_context& io_;
    ssl::context& tls_;
    fake::Service& service_;
    Options const& options_;
    std::chrono::seconds idle_timeout_;
};

void Server::save_stats()
{
    if (!write_atomically(options_.stats_file, service_.stats_text()))
        log("cannot write " + options_.stats_file);
}

void Server::log(std::string const& line)
{
    std::cerr << "byos-fake-azure: " << line << '\n';
}

asio::awaitable<void> Server::accept(tcp::acceptor& acceptor, fake::Port port)
{
    while (acceptor.is_open()) {
        auto [ec, socket] = co_await acceptor.async_accept(nothrow);
        if (ec == asio::error::operation_aborted)
            co_return;
        if (ec) {
            // Out of descriptors, most likely: let some connections end.
            asio::steady_timer pause(io_, std::chrono::milliseconds(50));
            co_await pause.async_wait(nothrow);
            continue;
        }
        service_.connection_opened(port);
        save_stats();
        auto session = port == fake::Port::https
                           ? serve_tls(std::move(socket))
                           : serve_plain(std::move(socket));
        asio::co_spawn(io_, std::move(session), [this](std::exception_ptr e) {
            if (!e)
                return;
            try {
                std::rethrow_exception(e);
            } catch (std::exception const& x) {
                log(std::string("a connection failed: ") + x.what());
            }
        });
    }
}

asio::awaitable<void> Server::serve_tls(tcp::socket socket)
{
    ssl::stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)),
                                          tls_);
    beast::get_lowest_layer(stream).expires_after(handshake_timeout);
    auto [ec] =
        co_await stream.async_handshake(ssl::stream_base::server, nothrow);
    if (ec) {
        service_.tls_handshake_failed();
        save_stats();
        if (options_.verbose)
            log("TLS handshake failed: " + ec.message());
        co_return;
    }

    auto const end = co_await exchanges(stream, fake::Port::https);
    auto& tcp = beast::get_lowest_layer(stream);
    if (end == End::abrupt) {
        tcp.socket().close(ec);
        co_return;
    }

    // Most clients close without answering close_notify; that is harmless,
    // so the result is ignored.
    tcp.expires_after(shutdown_timeout);
    co_await stream.async_shutdown(nothrow);
}

asio::awaitable<void> Server::serve_plain(tcp::socket socket)
{
    beast::tcp_stream stream(std::move(socket));
    auto const end = co_await exchanges(stream, fake::Port::http);
    beast::error_code ec;
    if (end == End::graceful)
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.socket().close(ec);
}

template <class Stream>
asio::awaitable<Server::End> Server::exchanges(Stream& stream, fake::Port port)
{
    beast::flat_buffer buffer;
    while (true) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(max_request_body);
        beast::get_lowest_layer(stream).expires_after(idle_timeout_);
        auto [ec, bytes] =
            co_await http::async_read(stream, buffer, parser, nothrow);
        if (ec == http::error::end_of_stream)
            co_return End::graceful;
        if (ec)
            co_return End::abrupt;
        auto const request = parser.release();

        fake::Incoming incoming;
        incoming.method = std::string(request.method_string());
        incoming.target = std::string(request.target());
        incoming.port = port;
        incoming.body = request.body();
        for (auto const& field : request) {
            std::string name(field.name_string());
            for (auto& c : name)
                c = static_cast<char>(
                    std::tolower(static_cast<unsigned char>(c)));
            incoming.headers[name] = std::string(field.value());
        }

        // In flight from the end of the read to the end of the write. The
        // stats are saved before the response, so a client that has its
        // answer also finds its request counted.
        service_.request_started();
        auto const reply = service_.handle(incoming);
        save_stats();
        auto const end = co_await deliver(stream, request, reply);
        service_.request_finished();
        save_stats();
        if (options_.verbose)
            log(reply.line + " -> " +
                (reply.action == fake::Action::respond
                     ? std::to_string(reply.status)
                     : std::string("no response")));
        if (end)
            co_return *end;
    }
}

// Sends `reply` and says how the connection ends, or nothing when it stays
// open for the next request.
template <class Stream>
asio::awaitable<std::optional<Server::End>>
Server::deliver(Stream& stream, http::request<http::string_body> const& in,
                fake::Reply const& reply)
{
    auto const executor = co_await asio::this_coro::executor;
    if (reply.delay.count() > 0) {
        asio::steady_timer timer(executor, reply.delay);
        co_await timer.async_wait(nothrow);
    }

    auto& tcp = beast::get_lowest_layer(stream);
    switch (reply.action) {
    case fake::Action::drop: co_return End::abrupt;
    case fake::Action::hang: {
        asio::steady_timer timer(executor, reply.hang);
        co_await timer.async_wait(nothrow);
        co_return End::abrupt;
    }
    case fake::Action::truncate: {
        // The head announces the whole body; half of it follows.
        auto const announced = std::max<std::size_t>(reply.body.size(), 16);
        std::string raw = "HTTP/1.1 " + std::to_string(reply.status) +
                          " OK\r\nContent-Type: " + reply.content_type +
                          "\r\nContent-Length: " + std::to_string(announced) +
                          "\r\n\r\n" + reply.body.substr(0, announced / 2);
        tcp.expires_after(write_timeout);
        co_await asio::async_write(stream, asio::buffer(raw), nothrow);
        co_return End::abrupt;
    }
    case fake::Action::respond: break;
    }

    // A response to HEAD has the head of the response to GET and no body.
    http::response<http::string_body> out{
        static_cast<http::status>(reply.status), in.version()};
    out.set(http::field::server, "byos-fake-azure");
    out.set(http::field::content_type, reply.content_type);
    for (auto const& [name, value] : reply.headers)
        out.set(name, value);
    out.keep_alive(in.keep_alive());
    tcp.expires_after(write_timeout);
    beast::error_code ec;
    if (in.method() == http::verb::head) {
        out.content_length(reply.body.size());
        http::response<http::empty_body> head{out.base()};
        std::tie(ec, std::ignore) =
            co_await http::async_write(stream, head, nothrow);
    } else {
        out.body() = reply.body;
        out.prepare_payload();
        std::tie(ec, std::ignore) =
            co_await http::async_write(stream, out, nothrow);
    }
    if (ec)
        co_return End::abrupt;
    if (!out.keep_alive())
        co_return End::graceful;
    co_return std::nullopt;
}

// A listening socket on 127.0.0.1 with a port the system picks.
std::optional<tcp::acceptor> listen_on_loopback(asio::io_context& io)
{
    tcp::acceptor acceptor(io);
    tcp::endpoint const endpoint(asio::ip::make_address_v4("127.0.0.1"), 0);
    beast::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        acceptor.bind(endpoint, ec);
    if (!ec)
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        std::cerr << "byos-fake-azure: cannot listen: " << ec.message() << '\n';
        return std::nullopt;
    }
    return acceptor;
}

bool set_up_tls(ssl::context& tls, Options const& options)
{
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                    ssl::context::no_tlsv1_1);
    beast::error_code ec;
    tls.use_certificate_chain_file(options.cert, ec);
    if (!ec)
        tls.use_private_key_file(options.key, ssl::context::pem, ec);
    if (ec)
        std::cerr << "byos-fake-azure: cannot load the certificate or key: "
                  << ec.message() << '\n';
    return !ec;
}

int run(Options const& options)
{
    auto const text = read_file(options.estate);
    if (!text) {
        std::cerr << "byos-fake-azure: cannot read " << options.estate << '\n';
        return 2;
    }
    auto estate = fake::parse_estate(*text);
    if (!estate) {
        std::cerr << "byos-fake-azure: " << options.estate << ": "
                  << estate.error().what << '\n';
        return 2;
    }
    auto const idle = std::chrono::seconds(estate->idle_timeout_seconds);
    fake::Service service(std::move(*estate));
    ssl::context tls(ssl::context::tls_server);
    if (!set_up_tls(tls, options))
        return 2;

    // Declared after what the connections use, so that its destructor,
    // which destroys the connections still open, runs first.
    asio::io_context io;
    auto https = listen_on_loopback(io);
    auto plain = listen_on_loopback(io);
    if (!https || !plain)
        return 1;
    auto const https_port = https->local_endpoint().port();
    auto const http_port = plain->local_endpoint().port();
    service.set_https_port(https_port);

    Server server(io, tls, service, options, idle);
    server.save_stats();
    auto const ports = "{\"https\": " + std::to_string(https_port) +
                       ", \"http\": " + std::to_string(http_port) + "}\n";
    if (!write_atomically(options.port_file, ports)) {
        std::cerr << "byos-fake-azure: cannot write " << options.port_file
                  << '\n';
        return 1;
    }

    auto const fail = [](std::exception_ptr e) {
        if (e)
            std::rethrow_exception(e);
    };
    asio::co_spawn(io, server.accept(*https, fake::Port::https), fail);
    asio::co_spawn(io, server.accept(*plain, fake::Port::http), fail);

    // A signal or the time limit ends the run; the last stats are saved,
    // and stopping the loop drops every connection with it.
    auto stop = [&](char const* why) {
        if (options.verbose)
            std::cerr << "byos-fake-azure: stopping: " << why << '\n';
        server.save_stats();
        io.stop();
    };
    asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](beast::error_code ec, int) {
        if (!ec)
            stop("signal");
    });
    asio::steady_timer limit(io, std::chrono::seconds(options.max_seconds));
    limit.async_wait([&](beast::error_code ec) {
        if (!ec)
            stop("--max-seconds reached");
    });
    io.run();
    return 0;
}

}

int main(int argc, char** argv)
{
    // A peer that goes away must not kill the server mid-write.
    std::signal(SIGPIPE, SIG_IGN);

    auto const options = parse_options(argc, argv);
    if (!options) {
        std::cerr << "byos-fake-azure: " << options.error().what << '\n'
                  << usage;
        return 2;
    }
    try {
        return run(*options);
    } catch (std::exception const& e) {
        std::cerr << "byos-fake-azure: internal error: " << e.what() << '\n';
        return 4;
    }
}
