// `byos-audit scan`: collects the estate from ARM into a snapshot, then
// audits that snapshot exactly as `check` would audit the saved file.

#include "cli/commands.hpp"

#include "auth/credential.hpp"
#include "input/loader.hpp"
#include "report/report.hpp"
#include "scan/collector.hpp"
#include "util/files.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace byos::cli::detail {

namespace asio = boost::asio;
namespace bj = boost::json;

namespace {

// The name findings point at when the snapshot is not saved: the file
// --save-snapshot would have written.
constexpr char const* unsaved_snapshot = "byos-audit-scan.snapshot.json";

auth::Settings credential_settings(ScanOptions const& scan,
                                   auth::Cloud const& cloud,
                                   auth::Getenv const& getenv)
{
    auth::Settings settings;
    if (!scan.auth.empty())
        settings.only = auth::kind_named(scan.auth);
    settings.authority_host = getenv("AZURE_AUTHORITY_HOST");
    if (settings.authority_host.empty())
        settings.authority_host = cloud.authority_host;
    settings.audience = cloud.audience;
    if (!scan.imds_endpoint.empty())
        settings.imds_endpoint = scan.imds_endpoint;
    else if (auto const host = getenv("AZURE_POD_IDENTITY_AUTHORITY_HOST");
             !host.empty())
        settings.imds_endpoint = host;
    return settings;
}

// What the collecting coroutine hands back.
struct Collected
{
    std::optional<Error> error; // no token, or no client: nothing was read
    bj::object snapshot;
    net::ClientStats stats;
};

asio::awaitable<void> collect_all(net::Client& client, auth::Settings settings,
                                  scan::ScanScope const& scope,
                                  scan::ScanSettings const& scan_settings,
                                  Collected& out)
{
    auto const getenv = auth::process_environment();
    auto credential = co_await auth::choose(settings, getenv, client);
    if (!credential) {
        out.error = credential.error();
        co_return;
    }
    auth::TokenCache tokens(**credential, client,
                            co_await asio::this_coro::executor);
    // The first token is fetched before any ARM request, so that a
    // credential that does not work stops the scan with its reason.
    if (auto first = co_await tokens.bearer(); !first) {
        out.error = Error{"", "",
                          std::string("cannot get a token (") +
                              auth::to_string((*credential)->kind()) +
                              "): " + first.error().describe()};
        co_return;
    }
    client.set_authorizer([&tokens] { return tokens.bearer(); });
    out.snapshot = co_await scan::collect(client, scope, scan_settings);
    co_await client.close();
    client.set_authorizer({});
}

}

int scan(Options const& options, std::vector<std::string> const& args,
         std::ostream& out, std::ostream& err, bool out_is_terminal)
{
    auto const started = now_utc();
    auto prepared = prepare(options);
    if (!prepared) {
        print_error(err, prepared.error());
        return exit_usage;
    }
    auto const& o = options.scan;
    if (o.save_snapshot) {
        auto const parent = std::filesystem::path(*o.save_snapshot)
                                .parent_path();
        if (!parent.empty() && !std::filesystem::is_directory(parent)) {
            print_error(err, Error{*o.save_snapshot, "",
                                   "its folder does not exist"});
            return exit_usage;
        }
    }

    auto const& cloud = *auth::cloud_named(o.cloud);
    auto const getenv = auth::process_environment();
    net::ClientOptions client_options;
    client_options.concurrency = o.concurrency;
    client_options.request_timeout = std::chrono::seconds(o.timeout_seconds);
    client_options.deadline = std::chrono::steady_clock::now() +
                              std::chrono::seconds(o.deadline_seconds);
    client_options.max_attempts = o.retries + 1;
    client_options.retry_base = std::chrono::milliseconds(o.retry_delay_ms);
    client_options.ca_file = o.ca_file;

    asio::io_context io;
    auto client = net::Client::create(io, client_options);
    if (!client) {
        print_error(err, client.error());
        return exit_usage;
    }

    scan::ScanScope scope{o.subscriptions, o.resource_groups,
                          o.management_groups, o.resource_graph};
    scan::ScanSettings settings;
    settings.arm_endpoint = o.arm_endpoint.empty() ? cloud.arm_endpoint
                                                   : o.arm_endpoint;
    settings.cloud = cloud.name;
    settings.collected_at = started;
    bool const progress = ::isatty(STDERR_FILENO) != 0 && !options.quiet;
    if (progress)
        settings.progress = [&err](std::size_t done, std::size_t subs) {
            err << "\rbyos-audit: scanning " << subs << " subscription"
                << (subs == 1 ? "" : "s") << ": " << done << " responses"
                << std::flush;
        };

    Collected collected;
    std::exception_ptr failure;
    asio::co_spawn(io,
                   collect_all(**client, credential_settings(o, cloud, getenv),
                               scope, settings, collected),
                   [&failure](std::exception_ptr e) { failure = e; });
    io.run();
    if (progress)
        err << "\r\033[K" << std::flush;
    if (failure)
        std::rethrow_exception(failure);
    if (collected.error) {
        print_error(err, *collected.error);
        return exit_usage;
    }

    // The snapshot is written as `check` will read it, and read back the
    // same way, so a saved snapshot audits to the same findings.
    auto const text = report::pretty(collected.snapshot);
    auto const name = o.save_snapshot.value_or(unsaved_snapshot);
    if (o.save_snapshot)
        if (auto error = write_file_atomically(*o.save_snapshot, text)) {
            print_error(err, *error);
            return exit_usage;
        }
    model::Estate estate;
    std::vector<std::string> warnings;
    if (auto error = input::load_text(text, name, estate, warnings)) {
        print_error(err, Error{"", "",
                               "the collected snapshot does not load: " +
                                   error->describe()});
        return exit_internal;
    }
    return audit_and_report(options, args, *prepared, estate,
                            std::move(warnings), started, out, err,
                            out_is_terminal);
}

}
