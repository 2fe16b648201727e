// byos-audit scan end to end: the real binary against byos-fake-azure,
// the loopback stand-in for Entra ID and ARM over TLS with a throwaway CA.
// Every test talks to 127.0.0.1 only; run_tool moves the metadata service
// to a closed loopback port unless a test points it at the stand-in.

#include "support/fake_azure.hpp"
#include "support/fake_estate.hpp"
#include "support/run.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <set>
#include <sys/stat.h>

namespace bj = boost::json;
namespace fs = std::filesystem;
using namespace byos::test;

namespace {

// The variables of the contract: a client secret, the authority and the
// throwaway CA.
std::vector<std::string> secret_env(FakeAzure const& azure)
{
    return {std::string("AZURE_TENANT_ID=") + fake_tenant_id,
            std::string("AZURE_CLIENT_ID=") + fake_client_id,
            std::string("AZURE_CLIENT_SECRET=") + fake_client_secret,
            "AZURE_AUTHORITY_HOST=" + azure.authority_host(),
            "SSL_CERT_FILE=" + azure.ca_file()};
}

std::vector<std::string> scan_args(FakeAzure const& azure,
                                   std::vector<std::string> extra = {})
{
    std::vector<std::string> args{"scan",           "--subscription",
                                  fake_subscription_id, "--arm-endpoint",
                                  azure.arm_endpoint(), "--retry-delay-ms",
                                  "10"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

bj::object read_object(std::string const& path)
{
    return bj::parse(read_text(path)).as_object();
}

std::int64_t number(bj::object const& o, std::string_view a,
                    std::string_view b = {})
{
    auto const& v = b.empty() ? o.at(a) : o.at(a).as_object().at(b);
    return v.to_number<std::int64_t>();
}

// The rule IDs of a JSON report's findings with their status.
std::multiset<std::string> verdicts(bj::object const& report)
{
    std::multiset<std::string> out;
    for (auto const& f : report.at("findings").as_array())
        out.insert(std::string(f.at("ruleId").as_string()) + " " +
                   std::string(f.at("status").as_string()));
    return out;
}

// Findings without where they were read, to compare two inputs.
std::multiset<std::string> findings_without_places(bj::object const& report)
{
    std::multiset<std::string> out;
    for (auto f : report.at("findings").as_array()) {
        for (auto const* side : {"resource", "related"})
            if (auto* r = f.as_object().if_contains(side); r && r->is_object())
                for (auto const* key : {"file", "line", "column"})
                    r->as_object().erase(key);
        out.insert(bj::serialize(f));
    }
    return out;
}

void patch_resource(bj::object& estate, std::string const& type_suffix,
                    bj::object const& properties)
{
    for (auto& r : estate.at("resources").as_array()) {
        auto& o = r.as_object();
        auto const type = std::string(o.at("type").as_string());
        if (type.size() < type_suffix.size() ||
            type.compare(type.size() - type_suffix.size(), type_suffix.size(),
                         type_suffix) != 0)
            continue;
        auto& props = o["properties"].as_object();
        for (auto const& [k, v] : properties)
            props[k] = v;
    }
}

void remove_resources(bj::object& estate, std::string const& type_suffix)
{
    auto& list = estate.at("resources").as_array();
    bj::array kept;
    for (auto& r : list) {
        auto const type = std::string(r.at("type").as_string());
        if (type.size() >= type_suffix.size() &&
            type.compare(type.size() - type_suffix.size(), type_suffix.size(),
                         type_suffix) == 0)
            continue;
        kept.push_back(r);
    }
    list = std::move(kept);
}

void add_fault(bj::object& estate, bj::object fault)
{
    if (!estate.contains("faults"))
        estate["faults"] = bj::array();
    estate["faults"].as_array().push_back(std::move(fault));
}

std::string replace_all(std::string text, std::string const& from,
                        std::string const& to)
{
    for (auto at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// `count` copies of the compliant pair, each with its own names,
// principal and assignment.
bj::object many_pairs(int count)
{
    auto estate = byos_pair_estate();
    bj::array resources;
    for (auto const& r : estate.at("resources").as_array()) {
        auto const type = std::string(r.at("type").as_string());
        bool const per_pair = type.find("CognitiveServices") !=
                                  std::string::npos ||
                              type.find("Microsoft.Storage") !=
                                  std::string::npos ||
                              type.find("roleAssignments") != std::string::npos;
        if (!per_pair) {
            resources.push_back(r);
            continue;
        }
        auto const text = bj::serialize(r);
        for (int i = 0; i < count; ++i) {
            auto const n = std::to_string(100 + i);
            auto copy = replace_all(text, "speech-test", "speech-test-" + n);
            copy = replace_all(copy, "stspeechtest", "stspeech" + n);
            copy = replace_all(copy, pair_principal_id,
                               std::string(pair_principal_id)
                                   .replace(0, 3, n));
            // The assignment's own GUID, the last segment of its ID.
            auto value = bj::parse(copy);
            if (type.find("roleAssignments") != std::string::npos) {
                auto id = std::string(value.at("id").as_string());
                id.replace(id.size() - 3, 3, n);
                value.as_object()["id"] = id;
                value.as_object()["name"] = id.substr(id.rfind('/') + 1);
            }
            resources.push_back(std::move(value));
        }
    }
    estate["resources"] = std::move(resources);
    return estate;
}

// Nothing in `texts` holds `secret`.
void no_secret(std::vector<std::string> const& texts, std::string const& secret)
{
    BOOST_REQUIRE(!secret.empty());
    for (auto const& text : texts)
        BOOST_TEST(text.find(secret) == std::string::npos);
}

// The requests the stand-in saw, each "METHOD /target".
std::vector<std::string> request_log(FakeAzure const& azure)
{
    std::vector<std::string> out;
    auto const stats = azure.stats();
    for (auto const& line : stats.at("requestLog").as_array())
        out.emplace_back(line.as_string());
    return out;
}

}

BOOST_AUTO_TEST_SUITE(scan)

// The contract of the issue, exactly: a client secret, the authority and
// the CA in the environment, and nothing but GET to ARM and POST to the
// token endpoint on the wire.
BOOST_AUTO_TEST_CASE(contract_scan_is_clean_and_read_only)
{
    auto azure = FakeAzure::start(byos_pair_estate());
    auto const dir = make_temp_dir();
    auto const run = run_tool(
        {"scan", "--subscription", fake_subscription_id, "--arm-endpoint",
         azure->arm_endpoint(), "--format", "sarif", "--output",
         dir + "/out.sarif"},
        secret_env(*azure));
    BOOST_TEST(run.exit_code == 0, run.err);

    auto const sarif = read_object(dir + "/out.sarif");
    auto const& sarif_run = sarif.at("runs").as_array().at(0).as_object();
    BOOST_TEST(sarif_run.at("results").as_array().empty());
    auto const& invocation =
        sarif_run.at("invocations").as_array().at(0).as_object();
    BOOST_TEST(invocation.at("executionSuccessful").as_bool());

    auto const stats = azure->stats();
    BOOST_TEST(stats.at("violations").as_array().empty());
    BOOST_TEST(number(stats, "unauthorized") == 0);
    auto const& methods = stats.at("byMethod").as_object();
    for (auto const& [method, count] : methods)
        BOOST_TEST((method == "GET" || method == "POST"), method);
    BOOST_TEST(number(stats, "byMethod", "POST") ==
               number(stats, "byRoute", "token"));
    for (auto const& line : request_log(*azure))
        BOOST_TEST((line.rfind("GET ", 0) == 0 ||
                    line.find("/oauth2/v2.0/token") != std::string::npos),
                   line);
    // Requests follow the estate, not the rules: one subscription, its
    // regions, its Speech listing, the feature, the storage account, its
    // blob service, its role assignments and their role definition.
    BOOST_TEST(number(stats, "requests") <= 10);
    no_secret({run.out, run.err, read_text(dir + "/out.sarif")},
              fake_client_secret);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(saved_snapshot_audits_to_the_same_findings)
{
    auto estate = byos_pair_estate();
    patch_resource(estate, "Microsoft.Storage/storageAccounts",
                   {{"allowSharedKeyAccess", true},
                    {"minimumTlsVersion", "TLS1_0"}});
    auto azure = FakeAzure::start(estate);
    auto const dir = make_temp_dir();
    auto const scanned =
        run_tool(scan_args(*azure, {"--save-snapshot", dir + "/snap.json",
                                    "--format", "json", "-o",
                                    dir + "/scan.json"}),
                 secret_env(*azure));
    BOOST_TEST(scanned.exit_code == 1, scanned.err);
    auto const checked = run_tool({"check", dir + "/snap.json", "--format",
                                   "json", "-o", dir + "/check.json"});
    BOOST_TEST(checked.exit_code == 1, checked.err);

    auto const scan = read_object(dir + "/scan.json");
    auto const check = read_object(dir + "/check.json");
    BOOST_TEST(scan.at("findings") == check.at("findings"));
    auto const v = verdicts(scan);
    BOOST_TEST(v.count("BYOS008 failed") == 1u);
    BOOST_TEST(v.count("BYOS031 failed") == 1u);
    no_secret({read_text(dir + "/snap.json")}, fake_client_secret);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(listings_are_followed_page_by_page)
{
    auto estate = byos_pair_estate();
    // Two accounts of other kinds share the listing, one a page.
    auto& resources = estate.at("resources").as_array();
    for (auto const* name : {"language-a", "vision-b"}) {
        auto other = resources.at(0).as_object();
        auto id = std::string(other.at("id").as_string());
        other["id"] = id.substr(0, id.rfind('/') + 1) + name;
        other["name"] = name;
        other["kind"] = "TextAnalytics";
        resources.push_back(std::move(other));
    }
    estate["pageSize"] = 1;
    auto azure = FakeAzure::start(estate);
    auto const dir = make_temp_dir();
    auto const run =
        run_tool(scan_args(*azure, {"--save-snapshot", dir + "/snap.json"}),
                 secret_env(*azure));
    BOOST_TEST(run.exit_code == 0, run.err);
    BOOST_TEST(number(azure->stats(), "byRoute", "speechList") == 3);
    auto const snapshot = read_object(dir + "/snap.json");
    auto const& listing = snapshot.at("collections")
                              .at("speechAccounts")
                              .as_array()
                              .at(0)
                              .as_object();
    BOOST_TEST(listing.at("pages").as_array().size() == 3u);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(throttling_waits_for_retry_after)
{
    auto estate = byos_pair_estate();
    add_fault(estate, {{"match", "providers/microsoft.cognitiveservices/"
                                 "accounts?"},
                       {"kind", "throttle"},
                       {"retryAfter", 1},
                       {"times", 1}});
    auto azure = FakeAzure::start(estate);
    auto const started = std::chrono::steady_clock::now();
    auto const run = run_tool(scan_args(*azure), secret_env(*azure));
    auto const took = std::chrono::steady_clock::now() - started;
    BOOST_TEST(run.exit_code == 0, run.err);
    BOOST_TEST(number(azure->stats(), "byRoute", "speechList") == 2);
    // The retry waited the second Retry-After asked for, not the 10 ms
    // backoff the command line gives.
    BOOST_TEST((took >= std::chrono::milliseconds(1000)));
}

BOOST_AUTO_TEST_CASE(transient_failures_are_retried)
{
    auto estate = byos_pair_estate();
    auto const storage = std::string("storageaccounts/stspeechtest?api");
    for (auto const* kind : {"drop", "truncate", "malformed"})
        add_fault(estate, {{"match", storage}, {"kind", kind}, {"times", 1}});
    add_fault(estate,
              {{"match", storage}, {"kind", "status"}, {"status", 502},
               {"times", 1}});
    auto azure = FakeAzure::start(estate);
    auto const run =
        run_tool(scan_args(*azure, {"--retries", "4"}), secret_env(*azure));
    // A malformed 200 is not retried: it is recorded, and the audit is
    // incomplete. The others heal.
    auto const stats = azure->stats();
    BOOST_TEST(number(stats, "faultsApplied") >= 2);
    BOOST_TEST(run.exit_code == 3, run.err);
    BOOST_TEST(run.out.find("not evaluated") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dropped_and_failing_requests_heal_with_retries)
{
    auto estate = byos_pair_estate();
    auto const storage = std::string("storageaccounts/stspeechtest?api");
    add_fault(estate, {{"match", storage}, {"kind", "drop"}, {"times", 1}});
    add_fault(estate, {{"match", storage}, {"kind", "truncate"}, {"times", 1}});
    add_fault(estate, {{"match", storage},
                       {"kind", "status"},
                       {"status", 503},
                       {"times", 1}});
    add_fault(estate, {{"match", "blobservices/default"},
                       {"kind", "status"},
                       {"status", 500},
                       {"times", 2}});
    auto azure = FakeAzure::start(estate);
    auto const run =
        run_tool(scan_args(*azure, {"--retries", "4"}), secret_env(*azure));
    BOOST_TEST(run.exit_code == 0, run.err);
    BOOST_TEST(number(azure->stats(), "faultsApplied") == 5);
}

BOOST_AUTO_TEST_CASE(spent_retries_and_forbidden_reads_are_not_audited)
{
    for (int status : {503, 403}) {
        auto estate = byos_pair_estate();
        add_fault(estate, {{"match", "storageaccounts/stspeechtest?api"},
                           {"kind", "status"},
                           {"status", status}});
        auto azure = FakeAzure::start(estate);
        auto const dir = make_temp_dir();
        auto const run = run_tool(
            scan_args(*azure, {"--retries", "2", "--format", "sarif,json",
                               "-o", dir}),
            secret_env(*azure));
        BOOST_TEST(run.exit_code == 3, run.err);

        auto const sarif = read_object(dir + "/byos-audit.sarif");
        auto const& invocation = sarif.at("runs")
                                     .as_array()
                                     .at(0)
                                     .at("invocations")
                                     .as_array()
                                     .at(0)
                                     .as_object();
        BOOST_TEST(!invocation.at("executionSuccessful").as_bool());
        auto const notes =
            bj::serialize(invocation.at("toolExecutionNotifications"));
        BOOST_TEST(notes.find("stspeechtest") != std::string::npos);
        BOOST_TEST(notes.find(std::to_string(status)) != std::string::npos);
        if (status == 403)
            BOOST_TEST(notes.find("AuthorizationFailed") != std::string::npos);
        auto const v = verdicts(read_object(dir + "/byos-audit.json"));
        BOOST_TEST(v.count("BYOS007 notEvaluated") +
                       v.count("BYOS007 not_evaluated") ==
                   1u);
        BOOST_TEST(v.count("BYOS007 failed") == 0u);
        // Three attempts with 503, one with 403: a refusal is final.
        auto const storage_gets = [&] {
            int n = 0;
            for (auto const& line : request_log(*azure))
                n += line.find("stspeechtest?api") != std::string::npos;
            return n;
        }();
        BOOST_TEST(storage_gets == (status == 503 ? 3 : 1));
        fs::remove_all(dir);
    }
}

BOOST_AUTO_TEST_CASE(missing_storage_is_byos003)
{
    auto estate = byos_pair_estate();
    remove_resources(estate, "Microsoft.Storage/storageAccounts");
    remove_resources(estate, "blobServices");
    auto azure = FakeAzure::start(estate);
    auto const dir = make_temp_dir();
    // By ID from ARM (404), and missing from Resource Graph's listing of
    // the subscription.
    for (auto const* mode : {"--quiet", "--resource-graph"}) {
        auto const run = run_tool(
            scan_args(*azure, {mode, "--format", "json", "-o",
                               dir + "/r.json"}),
            secret_env(*azure));
        BOOST_TEST(run.exit_code == 1, run.err);
        BOOST_TEST(
            verdicts(read_object(dir + "/r.json")).count("BYOS003 failed") ==
                1u,
            mode);
    }
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(storage_in_another_subscription_is_read_by_id)
{
    std::string const other = "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4";
    auto const moved_from = std::string("/subscriptions/") +
                            fake_subscription_id +
                            "/resourceGroups/rg-speech/providers/"
                            "Microsoft.Storage/storageAccounts/stspeechtest";
    auto const moved_to = "/subscriptions/" + other +
                          "/resourceGroups/rg-data/providers/"
                          "Microsoft.Storage/storageAccounts/stspeechtest";
    auto estate = bj::parse(replace_all(bj::serialize(byos_pair_estate()),
                                        moved_from, moved_to))
                      .as_object();
    estate["subscriptions"].as_array().push_back(
        {{"id", "/subscriptions/" + other},
         {"subscriptionId", other},
         {"tenantId", fake_tenant_id},
         {"displayName", "Data"},
         {"state", "Enabled"}});
    auto azure = FakeAzure::start(estate);
    auto const run = run_tool(scan_args(*azure), secret_env(*azure));
    BOOST_TEST(run.exit_code == 0, run.err + run.out);
    bool read = false;
    for (auto const& line : request_log(*azure))
        read = read || line.find("/subscriptions/" + other +
                                 "/resourceGroups/rg-data") !=
                           std::string::npos;
    BOOST_TEST(read);
}

BOOST_AUTO_TEST_CASE(resource_graph_finds_what_arm_finds)
{
    auto estate = many_pairs(3);
    patch_resource(estate, "Microsoft.Storage/storageAccounts",
                   {{"allowBlobPublicAccess", true}});
    auto azure = FakeAzure::start(estate);
    auto const dir = make_temp_dir();
    auto const arm = run_tool(
        scan_args(*azure, {"--format", "json", "-o", dir + "/arm.json"}),
        secret_env(*azure));
    auto const graph = run_tool(
        scan_args(*azure, {"--resource-graph", "--format", "json", "-o",
                           dir + "/graph.json"}),
        secret_env(*azure));
    BOOST_TEST(arm.exit_code == 1, arm.err);
    BOOST_TEST(graph.exit_code == 1, graph.err);
    auto const a = read_object(dir + "/arm.json");
    auto const g = read_object(dir + "/graph.json");
    BOOST_TEST(findings_without_places(a) == findings_without_places(g));
    BOOST_TEST(verdicts(a).count("BYOS007 failed") == 3u);
    auto const stats = azure->stats();
    BOOST_TEST(number(stats, "byRoute", "resourceGraph") >= 1);
    BOOST_TEST(stats.at("violations").as_array().empty());
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(requests_in_flight_stay_within_the_limit)
{
    auto estate = many_pairs(12);
    estate["latencyMs"] = 40;
    auto azure = FakeAzure::start(estate);
    auto const run = run_tool(scan_args(*azure, {"--concurrency", "4"}),
                              secret_env(*azure));
    BOOST_TEST(run.exit_code == 0, run.err);
    auto const stats = azure->stats();
    BOOST_TEST(number(stats, "peakInFlight") <= 4);
    BOOST_TEST(number(stats, "peakInFlight") >= 2);
    // Kept-alive connections: far fewer than the requests.
    BOOST_TEST(number(stats, "requests") >= 40);
    BOOST_TEST(number(stats, "connections") <= 6);
}

BOOST_AUTO_TEST_CASE(tokens_are_refreshed_before_they_expire)
{
    // About 50 requests, two at a time, 100 ms each: longer than half
    // the token's two-second life, when it is refreshed.
    auto estate = many_pairs(16);
    estate["tokenLifetimeSeconds"] = 2;
    estate["latencyMs"] = 100;
    auto azure = FakeAzure::start(estate);
    auto const started = std::chrono::steady_clock::now();
    auto const run = run_tool(scan_args(*azure, {"--concurrency", "2"}),
                              secret_env(*azure));
    auto const took = std::chrono::steady_clock::now() - started;
    BOOST_TEST(run.exit_code == 0, run.err);
    BOOST_REQUIRE((took > std::chrono::milliseconds(1500)));
    auto const stats = azure->stats();
    BOOST_TEST(number(stats, "tokensIssued") >= 2);
    BOOST_TEST(number(stats, "unauthorized") == 0);
}

BOOST_AUTO_TEST_CASE(a_hanging_request_times_out_and_the_deadline_holds)
{
    {
        auto estate = byos_pair_estate();
        add_fault(estate, {{"match", "blobservices/default"},
                           {"kind", "hang"},
                           {"seconds", 20},
                           {"times", 1}});
        auto azure = FakeAzure::start(estate);
        auto const run = run_tool(scan_args(*azure, {"--timeout", "1"}),
                                  secret_env(*azure));
        BOOST_TEST(run.exit_code == 0, run.err);
    }
    {
        auto estate = byos_pair_estate();
        add_fault(estate, {{"match", "blobservices/default"},
                           {"kind", "hang"},
                           {"seconds", 30}});
        auto azure = FakeAzure::start(estate);
        auto const started = std::chrono::steady_clock::now();
        auto const run = run_tool(
            scan_args(*azure, {"--timeout", "2", "--deadline", "3"}),
            secret_env(*azure), {}, 30);
        BOOST_TEST(run.exit_code == 3, run.err);
        BOOST_TEST((std::chrono::steady_clock::now() - started <
                    std::chrono::seconds(15)));
    }
}

BOOST_AUTO_TEST_CASE(tls_is_verified_and_ca_file_adds_trust)
{
    auto azure = FakeAzure::start(byos_pair_estate());
    auto env = secret_env(*azure);
    env.pop_back(); // no SSL_CERT_FILE: the throwaway CA is not trusted
    auto const refused = run_tool(scan_args(*azure), env);
    BOOST_TEST(refused.exit_code == 2);
    BOOST_TEST(refused.err.find("certificate") != std::string::npos,
               refused.err);
    auto const trusted = run_tool(
        scan_args(*azure, {"--ca-file", azure->ca_file()}), env);
    BOOST_TEST(trusted.exit_code == 0, trusted.err);
}

BOOST_AUTO_TEST_CASE(workload_identity_reads_the_federated_token_file)
{
    auto azure = FakeAzure::start(byos_pair_estate());
    auto const dir = make_temp_dir();
    write_text(dir + "/token", std::string(fake_federated_token) + "\n");
    auto const run = run_tool(
        scan_args(*azure, {"--format", "sarif", "-o", dir + "/out.sarif"}),
        {std::string("AZURE_TENANT_ID=") + fake_tenant_id,
         std::string("AZURE_CLIENT_ID=") + fake_client_id,
         "AZURE_FEDERATED_TOKEN_FILE=" + dir + "/token",
         "AZURE_AUTHORITY_HOST=" + azure->authority_host(),
         "SSL_CERT_FILE=" + azure->ca_file()});
    BOOST_TEST(run.exit_code == 0, run.err);
    BOOST_TEST(number(azure->stats(), "byRoute", "token") == 1);
    no_secret({run.out, run.err, read_text(dir + "/out.sarif")},
              fake_federated_token);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(managed_identity_app_service_and_metadata_service)
{
    auto azure = FakeAzure::start(byos_pair_estate());
    auto const app_service = run_tool(
        scan_args(*azure),
        {"IDENTITY_ENDPOINT=" + azure->msi_endpoint(),
         std::string("IDENTITY_HEADER=") + fake_identity_header,
         "SSL_CERT_FILE=" + azure->ca_file()});
    BOOST_TEST(app_service.exit_code == 0, app_service.err);
    BOOST_TEST(number(azure->stats(), "byRoute", "msi") == 1);
    no_secret({app_service.out, app_service.err}, fake_identity_header);

    // Found by the chain's probe, and named with --auth.
    auto const probed = run_tool(
        scan_args(*azure),
        {"AZURE_POD_IDENTITY_AUTHORITY_HOST=" + azure->imds_endpoint(),
         "SSL_CERT_FILE=" + azure->ca_file()});
    BOOST_TEST(probed.exit_code == 0, probed.err);
    auto const named = run_tool(
        scan_args(*azure, {"--auth", "managed-identity", "--imds-endpoint",
                           azure->imds_endpoint()}),
        {"SSL_CERT_FILE=" + azure->ca_file()});
    BOOST_TEST(named.exit_code == 0, named.err);
    BOOST_TEST(number(azure->stats(), "byRoute", "imds") == 2);
    BOOST_TEST(number(azure->stats(), "byRoute", "token") == 0);
}

// A stand-in for az on PATH: it gets a token from the stand-in's metadata
// service over plain HTTP on loopback, notes it (so the test can look for
// it in every output) and prints it as az account get-access-token does.
BOOST_AUTO_TEST_CASE(azure_cli_is_the_last_resort_and_its_token_stays_secret)
{
    auto azure = FakeAzure::start(byos_pair_estate());
    auto const dir = make_temp_dir();
    write_fake_az(*azure, dir);

    auto const run = run_tool(
        scan_args(*azure, {"--save-snapshot", dir + "/snap.json", "--format",
                           "sarif,json,html,text", "-o", dir + "/reports",
                           "-v"}),
        {"PATH=" + dir + ":/usr/bin:/bin",
         "SSL_CERT_FILE=" + azure->ca_file()});
    BOOST_TEST(run.exit_code == 0, run.err);
    auto const args = read_text(dir + "/az-args");
    BOOST_TEST(args.find("account get-access-token") != std::string::npos);
    BOOST_TEST(args.find("--resource https://management.azure.com/") !=
               std::string::npos);

    auto token = read_text(dir + "/az-token");
    while (!token.empty() && token.back() == '\n')
        token.pop_back();
    std::vector<std::string> outputs{run.out, run.err,
                                     read_text(dir + "/snap.json"),
                                     azure->stats().at("requestLog").is_array()
                                         ? bj::serialize(azure->stats())
                                         : std::string()};
    for (auto const& entry : fs::directory_iterator(dir + "/reports"))
        outputs.push_back(read_text(entry.path().string()));
    no_secret(outputs, token);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(the_chain_takes_the_first_credential_configured)
{
    auto azure = FakeAzure::start(byos_pair_estate());
    auto env = secret_env(*azure);
    env.push_back("IDENTITY_ENDPOINT=" + azure->msi_endpoint());
    env.push_back(std::string("IDENTITY_HEADER=") + fake_identity_header);
    auto const run = run_tool(scan_args(*azure), env);
    BOOST_TEST(run.exit_code == 0, run.err);
    BOOST_TEST(number(azure->stats(), "byRoute", "token") == 1);
    BOOST_TEST(number(azure->stats(), "byRoute", "msi") == 0);

    // --auth names one, even when another comes first.
    auto const named =
        run_tool(scan_args(*azure, {"--auth", "managed-identity"}), env);
    BOOST_TEST(named.exit_code == 0, named.err);
    BOOST_TEST(number(azure->stats(), "byRoute", "msi") == 1);
}

BOOST_AUTO_TEST_CASE(a_refused_credential_stops_the_scan_with_its_reason)
{
    auto azure = FakeAzure::start(byos_pair_estate());
    auto env = secret_env(*azure);
    env[2] = "AZURE_CLIENT_SECRET=not-the-right-secret";
    auto const dir = make_temp_dir();
    auto const run = run_tool(
        scan_args(*azure, {"--format", "sarif", "-o", dir + "/out.sarif"}),
        env);
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(run.err.find("cannot get a token (environment)") !=
                   std::string::npos,
               run.err);
    BOOST_TEST(!fs::exists(dir + "/out.sarif"));
    no_secret({run.out, run.err}, "not-the-right-secret");
    BOOST_TEST(number(azure->stats(), "byRoute", "subscriptions") == 0);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(every_visible_subscription_when_none_is_named)
{
    auto azure = FakeAzure::start(byos_pair_estate());
    auto const run = run_tool({"scan", "--arm-endpoint",
                               azure->arm_endpoint(), "-q"},
                              secret_env(*azure));
    BOOST_TEST(run.exit_code == 0, run.err);
    BOOST_TEST(run.out.find("1 Speech account") != std::string::npos,
               run.out);
    bool listed = false;
    for (auto const& line : request_log(*azure))
        listed = listed || line.rfind("GET /subscriptions?", 0) == 0;
    BOOST_TEST(listed);
}

BOOST_AUTO_TEST_CASE(a_resource_group_narrows_the_speech_listing)
{
    auto const from = std::string("resourceGroups/rg-speech/providers/"
                                  "Microsoft.CognitiveServices/accounts/"
                                  "speech-test-101");
    auto const to = std::string("resourceGroups/rg-other/providers/"
                                "Microsoft.CognitiveServices/accounts/"
                                "speech-test-101");
    auto estate =
        bj::parse(replace_all(bj::serialize(many_pairs(2)), from, to))
            .as_object();
    auto azure = FakeAzure::start(estate);
    auto const all = run_tool(scan_args(*azure, {"-q"}), secret_env(*azure));
    BOOST_TEST(all.out.find("2 Speech accounts") != std::string::npos,
               all.out);
    auto const narrowed = run_tool(
        scan_args(*azure, {"--resource-group", "rg-other", "-q"}),
        secret_env(*azure));
    BOOST_TEST(narrowed.exit_code == 0, narrowed.err);
    BOOST_TEST(narrowed.out.find("1 Speech account") != std::string::npos,
               narrowed.out);
}

BOOST_AUTO_TEST_CASE(resource_graph_pages_and_management_groups)
{
    auto estate = many_pairs(5);
    estate["pageSize"] = 2;
    auto azure = FakeAzure::start(estate);
    auto const dir = make_temp_dir();
    auto const arm = run_tool(
        scan_args(*azure, {"--format", "json", "-o", dir + "/arm.json"}),
        secret_env(*azure));
    auto const group = run_tool(
        {"scan", "--management-group", "mg-speech", "--arm-endpoint",
         azure->arm_endpoint(), "--format", "json", "-o",
         dir + "/group.json"},
        secret_env(*azure));
    BOOST_TEST(arm.exit_code == 0, arm.err);
    BOOST_TEST(group.exit_code == 0, group.err);
    BOOST_TEST(findings_without_places(read_object(dir + "/arm.json")) ==
               findings_without_places(read_object(dir + "/group.json")));
    // Five Speech accounts, two a page: three Resource Graph pages, and
    // three more for the five storage accounts of their subscription.
    BOOST_TEST(number(azure->stats(), "byRoute", "resourceGraph") == 6);
    auto const summary = read_object(dir + "/group.json").at("summary");
    BOOST_TEST(bj::serialize(summary).find("5") != std::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(the_cloud_picks_the_token_audience)
{
    auto estate = byos_pair_estate();
    estate["audiences"] = bj::array{"https://management.usgovcloudapi.net/"};
    auto azure = FakeAzure::start(estate);
    auto const government = run_tool(
        scan_args(*azure, {"--cloud", "AzureUSGovernment"}),
        secret_env(*azure));
    BOOST_TEST(government.exit_code == 0, government.err);
    BOOST_TEST(number(azure->stats(), "unauthorized") == 0);
    // A public cloud token: ARM refuses it (401), nothing is audited.
    auto const public_cloud = run_tool(scan_args(*azure), secret_env(*azure));
    BOOST_TEST(public_cloud.exit_code == 3);
    BOOST_TEST(number(azure->stats(), "unauthorized") >= 1);
    BOOST_TEST(run_tool(scan_args(*azure, {"--cloud", "Mars"})).exit_code ==
               2);
}

BOOST_AUTO_TEST_CASE(progress_goes_to_a_terminal_only)
{
    auto azure = FakeAzure::start(byos_pair_estate());
    auto const piped = run_tool(scan_args(*azure), secret_env(*azure));
    BOOST_TEST(piped.err.find("scanning") == std::string::npos);
    auto const shown =
        run_tool_on_terminal(scan_args(*azure), secret_env(*azure));
    BOOST_TEST(shown.exit_code == 0);
    BOOST_TEST(shown.out.find("byos-audit: scanning 1 subscription") !=
                   std::string::npos,
               shown.out);
}

BOOST_AUTO_TEST_SUITE_END()
