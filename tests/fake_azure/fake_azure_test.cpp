// The loopback stand-in for Entra ID and ARM, tested from outside with a
// small HTTPS client that trusts only the stand-in's throwaway CA: tokens,
// ARM's authentication, paging, role assignment inheritance, error codes,
// every fault kind, the read-only guard, keep-alive, concurrency, and that
// no credential reaches the stats file or the log.

#include "support/fake_azure.hpp"
#include "support/fake_estate.hpp"
#include "support/run.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bj = boost::json;
namespace http = beast::http;
namespace ssl = asio::ssl;
using namespace byos::test;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

struct Answer
{
    int status = 0; // 0 when no complete response came
    std::string body;
    http::fields headers;
    beast::error_code error;

    bj::value json() const { return bj::parse(body); }
    std::string code() const
    {
        return std::string(json().at("error").at("code").as_string());
    }
};

// One connection to the stand-in, kept alive across requests, with a
// timeout on every step. HTTPS verifies the certificate and the address
// against the stand-in's CA only.
class Client
{
public:
    Client(FakeAzure const& fake, bool secure = true,
           std::chrono::seconds timeout = 5s)
        : tls_(ssl::context::tls_client), timeout_(timeout)
    {
        auto const port = secure ? fake.https_port() : fake.http_port();
        host_ = "127.0.0.1:" + std::to_string(port);
        beast::tcp_stream tcp(io_);
        asio::ip::tcp::endpoint const endpoint(
            asio::ip::make_address_v4("127.0.0.1"),
            static_cast<unsigned short>(port));
        tcp.expires_after(timeout_);
        wait([&](auto done) { tcp.async_connect(endpoint, done); });
        if (!secure) {
            plain_.emplace(std::move(tcp));
            return;
        }
        tls_.set_verify_mode(ssl::verify_peer);
        tls_.load_verify_file(fake.ca_file());
        secure_.emplace(std::move(tcp), tls_);
        secure_->set_verify_callback(ssl::host_name_verification("127.0.0.1"));
        beast::get_lowest_layer(*secure_).expires_after(timeout_);
        auto const ec = wait([&](auto done) {
            secure_->async_handshake(ssl::stream_base::client, done);
        });
        if (ec)
            throw std::runtime_error("TLS handshake: " + ec.message());
    }

    Answer get(std::string const& target, std::string const& token = {},
               std::vector<std::pair<std::string, std::string>> headers = {})
    {
        if (!token.empty())
            headers.emplace_back("Authorization", "Bearer " + token);
        return send("GET", target, {}, headers);
    }

    Answer
    send(std::string const& method, std::string const& target,
         std::string const& body = {},
         std::vector<std::pair<std::string, std::string>> const& headers = {})
    {
        http::request<http::string_body> request;
        request.method_string(method);
        request.target(target);
        request.version(11);
        request.set(http::field::host, host_);
        for (auto const& [name, value] : headers)
            request.set(name, value);
        request.body() = body;
        if (!body.empty() || method == "POST" || method == "PUT")
            request.prepare_payload();
        return secure_ ? exchange(*secure_, request, method)
                       : exchange(*plain_, request, method);
    }

private:
    template <class Start>
    beast::error_code wait(Start start)
    {
        beast::error_code result;
        start([&](beast::error_code ec, auto&&...) { result = ec; });
        io_.restart();
        io_.run();
        return result;
    }

    template <class Stream>
    Answer exchange(Stream& stream,
                    http::request<http::string_body> const& request,
                    std::string const& method)
    {
        Answer answer;
        beast::get_lowest_layer(stream).expires_after(timeout_);
        answer.error =
            wait([&](auto done) { http::async_write(stream, request, done); });
        if (answer.error)
            return answer;
        http::response_parser<http::string_body> parser;
        parser.skip(method == "HEAD");
        beast::get_lowest_layer(stream).expires_after(timeout_);
        answer.error = wait([&](auto done) {
            http::async_read(stream, buffer_, parser, done);
        });
        if (answer.error)
            return answer;
        auto response = parser.release();
        answer.status = static_cast<int>(response.result_int());
        answer.headers = response.base();
        answer.body = std::move(response.body());
        return answer;
    }

    asio::io_context io_;
    ssl::context tls_;
    std::chrono::seconds timeout_;
    std::string host_;
    std::optional<ssl::stream<beast::tcp_stream>> secure_;
    std::optional<beast::tcp_stream> plain_;
    beast::flat_buffer buffer_;
};

std::string const sub_path =
    std::string("/subscriptions/") + fake_subscription_id;
std::string const group_path = sub_path + "/resourceGroups/rg-speech";

std::string form(std::vector<std::pair<std::string, std::string>> const& kv)
{
    std::string out;
    for (auto const& [key, value] : kv) {
        out += out.empty() ? "" : "&";
        out += key + "=";
        for (unsigned char const c : value) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.' ||
                c == '~') {
                out.push_back(static_cast<char>(c));
            } else {
                char escaped[4];
                std::snprintf(escaped, sizeof escaped, "%%%02X", c);
                out += escaped;
            }
        }
    }
    return out;
}

Answer request_token(Client& client, std::string const& secret_field,
                     std::string const& secret,
                     std::string const& tenant = fake_tenant_id)
{
    std::vector<std::pair<std::string, std::string>> fields{
        {"grant_type", "client_credentials"},
        {"client_id", fake_client_id},
        {"scope", "https://management.azure.com/.default"},
        {secret_field, secret}};
    if (secret_field == "client_assertion")
        fields.emplace_back(
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    return client.send("POST", "/" + tenant + "/oauth2/v2.0/token",
                       form(fields),
                       {{"Content-Type", "application/x-www-form-urlencoded"}});
}

// A token for ARM, from the client secret.
std::string arm_token(FakeAzure const& fake)
{
    Client client(fake);
    auto const answer =
        request_token(client, "client_secret", fake_client_secret);
    BOOST_REQUIRE_EQUAL(answer.status, 200);
    return std::string(answer.json().at("access_token").as_string());
}

bj::object storage_account(std::string const& group, std::string const& name)
{
    return {{"id", sub_path + "/resourceGroups/" + group +
                       "/providers/Microsoft.Storage/storageAccounts/" + name},
            {"name", name},
            {"type", "Microsoft.Storage/storageAccounts"},
            {"kind", "StorageV2"}};
}

bj::object assignment(std::string const& scope, std::string const& principal,
                      std::string const& name)
{
    auto const prefix = scope == "/" ? std::string() : scope;
    return {
        {"id",
         prefix + "/providers/Microsoft.Authorization/roleAssignments/" + name},
        {"name", name},
        {"type", "Microsoft.Authorization/roleAssignments"},
        {"properties",
         {{"scope", scope},
          {"principalId", principal},
          {"roleDefinitionId",
           "/providers/Microsoft.Authorization/roleDefinitions/" +
               std::string(storage_blob_data_contributor)}}}};
}

std::set<std::string> names_in(Answer const& answer)
{
    std::set<std::string> names;
    auto const body = answer.json();
    for (auto const& item : body.at("value").as_array())
        names.insert(std::string(item.at("name").as_string()));
    return names;
}

long long count(bj::object const& stats, char const* key)
{
    return stats.at(key).as_int64();
}

}

BOOST_AUTO_TEST_SUITE(fake_azure)

BOOST_AUTO_TEST_CASE(issues_tokens_for_the_secret_and_the_assertion_only)
{
    auto const fake = FakeAzure::start(fake_estate());
    Client client(*fake);

    auto const issued =
        request_token(client, "client_secret", fake_client_secret);
    BOOST_TEST(issued.status == 200);
    auto const body = issued.json().as_object();
    BOOST_TEST(body.at("token_type").as_string() == "Bearer");
    BOOST_TEST(body.at("expires_in").as_int64() == 3600);
    BOOST_TEST(body.at("access_token").as_string().size() > 40);

    auto const again =
        request_token(client, "client_secret", fake_client_secret);
    BOOST_TEST(again.json().at("access_token") != body.at("access_token"));
    auto const federated =
        request_token(client, "client_assertion", fake_federated_token);
    BOOST_TEST(federated.status == 200);

    auto const wrong = request_token(client, "client_secret", "not-it");
    BOOST_TEST(wrong.status == 401);
    BOOST_TEST(wrong.json().at("error").as_string() == "invalid_client");
    BOOST_TEST(wrong.json()
                   .at("error_description")
                   .as_string()
                   .starts_with("AADSTS7000215: "));
    auto const wrong_assertion =
        request_token(client, "client_assertion", "forged");
    BOOST_TEST(wrong_assertion.status == 401);
    auto const other_tenant = request_token(client, "client_secret",
                                            fake_client_secret, "someone-else");
    BOOST_TEST(other_tenant.status == 400);

    auto const stats = fake->stats();
    BOOST_TEST(count(stats, "tokensIssued") == 3);
    BOOST_TEST(count(stats, "tokenRefusals") == 3);
    BOOST_TEST(stats.at("byRoute").at("token").as_int64() == 6);
}

BOOST_AUTO_TEST_CASE(arm_wants_a_live_token_from_this_server)
{
    auto estate = fake_estate();
    estate["tokenLifetimeSeconds"] = 1;
    auto const fake = FakeAzure::start(estate);
    auto const token = arm_token(*fake);
    Client client(*fake);
    std::string const list = "/subscriptions?api-version=2022-12-01";

    auto const anonymous = client.get(list);
    BOOST_TEST(anonymous.status == 401);
    BOOST_TEST(anonymous.code() == "InvalidAuthenticationToken");
    BOOST_TEST(anonymous.headers.count(http::field::www_authenticate) == 1);
    BOOST_TEST(client.get(list, "made-up").status == 401);

    auto const listed = client.get(list, token);
    BOOST_TEST(listed.status == 200);
    BOOST_TEST(listed.json().at("value").as_array().size() == 1);
    auto const unversioned = client.get("/subscriptions", token);
    BOOST_TEST(unversioned.status == 400);
    BOOST_TEST(unversioned.code() == "MissingApiVersionParameter");

    std::this_thread::sleep_for(1100ms);
    auto const expired = client.get(list, token);
    BOOST_TEST(expired.status == 401);
    BOOST_TEST(expired.code() == "ExpiredAuthenticationToken");
    BOOST_TEST(count(fake->stats(), "unauthorized") == 3);
}

BOOST_AUTO_TEST_CASE(managed_identity_endpoints_want_their_headers)
{
    auto const fake = FakeAzure::start(fake_estate());
    Client http_client(*fake, false);
    std::string const resource = "resource=https%3A%2F%2Fmanagement.azure.com";

    auto const msi = "/msi/token?api-version=2019-08-01&" + resource;
    BOOST_TEST(http_client.get(msi).status == 400);
    BOOST_TEST(
        http_client.get(msi, {}, {{"X-IDENTITY-HEADER", "nope"}}).status ==
        401);
    auto const app_service =
        http_client.get(msi, {}, {{"X-IDENTITY-HEADER", fake_identity_header}});
    BOOST_TEST(app_service.status == 200);
    auto const app_token = app_service.json().as_object();
    BOOST_TEST(app_token.at("expires_on").is_string());
    BOOST_TEST(app_token.at("resource").as_string() ==
               "https://management.azure.com");

    auto const imds =
        "/metadata/identity/oauth2/token?api-version=2018-02-01&" + resource;
    BOOST_TEST(http_client.get(imds).status == 400);
    auto const vm = http_client.get(imds, {}, {{"Metadata", "true"}});
    BOOST_TEST(vm.status == 200);
    BOOST_TEST(vm.json().at("expires_in").as_string() == "3600");
    BOOST_TEST(vm.json().at("expires_on").is_string());

    // Both tokens open ARM; the endpoints live on the plain port only.
    Client arm(*fake);
    for (auto const& token :
         {app_token.at("access_token"), vm.json().at("access_token")})
        BOOST_TEST(arm.get("/subscriptions?api-version=2022-12-01",
                           std::string(token.as_string()))
                       .status == 200);
    BOOST_TEST(arm.get(imds, {}, {{"Metadata", "true"}}).status == 404);
    auto const stats = fake->stats();
    BOOST_TEST(stats.at("byRoute").at("msi").as_int64() == 3);
    BOOST_TEST(stats.at("byRoute").at("imds").as_int64() == 3);
}

BOOST_AUTO_TEST_CASE(lists_come_in_pages_linked_by_next_link)
{
    bj::array resources;
    for (auto const* name : {"sta", "stb", "stc", "std", "ste"})
        resources.push_back(storage_account("rg-speech", name));
    resources.push_back(storage_account("rg-other", "stf"));
    auto estate = fake_estate(resources);
    estate["pageSize"] = 2;
    auto const fake = FakeAzure::start(estate);
    auto const token = arm_token(*fake);
    Client client(*fake);

    // The next link is absolute and points back here.
    std::string target =
        group_path +
        "/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01";
    std::set<std::string> names;
    int pages = 0;
    while (true) {
        auto const answer = client.get(target, token);
        BOOST_REQUIRE_EQUAL(answer.status, 200);
        ++pages;
        auto const page = names_in(answer);
        names.insert(page.begin(), page.end());
        auto const body = answer.json();
        auto const* next = body.as_object().if_contains("nextLink");
        if (!next)
            break;
        std::string const link(next->as_string());
        BOOST_REQUIRE(link.starts_with(fake->arm_endpoint() + "/"));
        BOOST_TEST(link.find("$skipToken=") != std::string::npos);
        target = link.substr(fake->arm_endpoint().size());
    }
    BOOST_TEST(pages == 3);
    BOOST_TEST(names ==
               (std::set<std::string>{"sta", "stb", "stc", "std", "ste"}));

    // The subscription's list holds both groups; IDs ignore case.
    auto const all = client.get(
        "/SUBSCRIPTIONS/" + std::string(fake_subscription_id) +
            "/providers/microsoft.storage/STORAGEACCOUNTS?api-version=1",
        token);
    BOOST_TEST(all.json().at("value").as_array().size() == 2);
    auto const one =
        client.get("/subscriptions/" + std::string(fake_subscription_id) +
                       "/resourcegroups/RG-OTHER/providers/Microsoft.Storage/"
                       "storageAccounts/STF?api-version=1",
                   token);
    BOOST_TEST(one.status == 200);
    BOOST_TEST(fake->stats().at("byRoute").at("storageList").as_int64() == 4);
}

BOOST_AUTO_TEST_CASE(role_assignments_reach_from_above_and_below)
{
    std::string const principal = "11111111-2222-4333-8444-555555555555";
    std::string const other = "99999999-2222-4333-8444-555555555555";
    auto const account =
        group_path + "/providers/Microsoft.Storage/storageAccounts/st";
    auto const fake = FakeAzure::start(fake_estate({
        assignment("/", principal, "root"),
        assignment("/providers/Microsoft.Management/managementGroups/mg",
                   principal, "mg"),
        assignment(sub_path, principal, "subscription"),
        assignment(group_path, principal, "group"),
        assignment(account, principal, "account"),
        assignment(account + "/blobServices/default/containers/c", principal,
                   "container"),
        assignment(sub_path + "/resourceGroups/rg-other", principal,
                   "elsewhere"),
        assignment(account, other, "someone-else"),
    }));
    auto const token = arm_token(*fake);
    Client client(*fake);
    auto const list = account +
                      "/providers/Microsoft.Authorization/roleAssignments"
                      "?api-version=2022-04-01";

    auto const filtered = client.get(
        list + "&%24filter=principalId%20eq%20%27" + principal + "%27", token);
    BOOST_TEST(filtered.status == 200);
    BOOST_TEST(names_in(filtered) ==
               (std::set<std::string>{"root", "mg", "subscription", "group",
                                      "account", "container"}));

    auto const at_scope = client.get(
        list + "&$filter=atScope()+and+principalId+eq+'" + principal + "'",
        token);
    BOOST_TEST(names_in(at_scope) ==
               (std::set<std::string>{"root", "mg", "subscription", "group",
                                      "account"}));

    auto const everyone = client.get(list, token);
    BOOST_TEST(names_in(everyone).contains("someone-else"));
    BOOST_TEST(!names_in(everyone).contains("elsewhere"));

    auto const bad = client.get(list + "&$filter=roleName%20eq%20'x'", token);
    BOOST_TEST(bad.status == 400);
}

BOOST_AUTO_TEST_CASE(missing_things_get_arms_codes)
{
    auto const fake = FakeAzure::start(byos_pair_estate());
    auto const token = arm_token(*fake);
    Client client(*fake);
    auto get = [&](std::string const& path) {
        return client.get(path + "?api-version=2023-05-01", token);
    };
    std::string const role = "/providers/Microsoft.Authorization/"
                             "roleDefinitions/" +
                             std::string(storage_blob_data_contributor);

    BOOST_TEST(get(pair_storage_id).status == 200);
    BOOST_TEST(
        get(std::string(pair_storage_id) + "/blobServices/default").status ==
        200);
    BOOST_TEST(get(sub_path + role).status == 200);
    BOOST_TEST(get(role).status == 200);

    auto const gone =
        get(group_path + "/providers/Microsoft.Storage/storageAccounts/gone");
    BOOST_TEST(gone.status == 404);
    BOOST_TEST(gone.code() == "ResourceNotFound");
    BOOST_TEST(get(std::string(pair_speech_id) + "x").code() ==
               "ResourceNotFound");
    BOOST_TEST(get(sub_path + "/providers/Microsoft.Features/providers/"
                              "Microsoft.CognitiveServices/features/other")
                   .code() == "FeatureNotFound");
    BOOST_TEST(get(sub_path + "/providers/Microsoft.Authorization/"
                              "roleDefinitions/"
                              "00000000-0000-0000-0000-000000000000")
                   .code() == "RoleDefinitionDoesNotExist");
    BOOST_TEST(
        get("/subscriptions/00000000-0000-0000-0000-000000000001").code() ==
        "SubscriptionNotFound");
    BOOST_TEST(get("/nothing/here").code() == "NotFound");
}

BOOST_AUTO_TEST_CASE(resource_graph_answers_for_the_type_it_is_asked)
{
    auto resources = byos_pair_estate().at("resources").as_array();
    auto other = resources[0].as_object();
    other["id"] =
        group_path + "/providers/Microsoft.CognitiveServices/accounts/language";
    other["kind"] = "TextAnalytics";
    resources.push_back(other);
    auto estate = fake_estate(resources);
    auto const fake = FakeAzure::start(estate);
    auto const token = arm_token(*fake);
    Client client(*fake);
    auto query = [&](std::string const& text, bj::object options) {
        bj::object body{{"subscriptions", bj::array{fake_subscription_id}},
                        {"query", text},
                        {"options", std::move(options)}};
        return client.send("POST",
                           "/providers/Microsoft.ResourceGraph/resources"
                           "?api-version=2024-04-01",
                           bj::serialize(body),
                           {{"Authorization", "Bearer " + token},
                            {"Content-Type", "application/json"}});
    };

    auto const speech = query(
        "resources | where type =~ 'Microsoft.CognitiveServices/accounts' "
        "and kind =~ 'SpeechServices' | project id, kind, properties",
        {{"$top", 1000}});
    BOOST_TEST(speech.status == 200);
    auto const answer = speech.json().as_object();
    BOOST_TEST(answer.at("resultTruncated").as_string() == "false");
    BOOST_TEST(answer.at("totalRecords").as_int64() == 1);
    BOOST_TEST(!answer.contains("$skipToken"));
    auto const& row = answer.at("data").at(0).as_object();
    BOOST_TEST(row.at("type").as_string() ==
               "microsoft.cognitiveservices/accounts");
    BOOST_TEST(row.at("subscriptionId").as_string() == fake_subscription_id);
    BOOST_TEST(row.at("resourceGroup").as_string() == "rg-speech");

    // Without the kind, both accounts, one a page.
    auto const first = query(
        "resources | where type =~ 'microsoft.cognitiveservices/accounts'",
        {{"$top", 1}});
    BOOST_TEST(first.json().at("count").as_int64() == 1);
    auto const skip = first.json().at("$skipToken");
    auto const second = query(
        "resources | where type =~ 'microsoft.cognitiveservices/accounts'",
        {{"$top", 1}, {"$skipToken", skip}});
    BOOST_TEST(second.json().at("count").as_int64() == 1);
    BOOST_TEST(!second.json().as_object().contains("$skipToken"));
    BOOST_TEST(second.json().at("data").at(0).at("id") !=
               first.json().at("data").at(0).at("id"));

    auto const storage = query(
        "resources | where type =~ 'microsoft.storage/storageaccounts'", {});
    BOOST_TEST(storage.json().at("totalRecords").as_int64() == 1);
    BOOST_TEST(fake->stats().at("byRoute").at("resourceGraph").as_int64() == 4);
}

BOOST_AUTO_TEST_CASE(every_fault_kind_does_what_it_says)
{
    auto estate = fake_estate();
    estate["faults"] = {
        {{"match", "case=status"},
         {"kind", "status"},
         {"status", 503},
         {"times", 1}},
        {{"match", "case=forbidden"}, {"kind", "status"}, {"status", 403}},
        {{"match", "case=throttle"}, {"kind", "throttle"}, {"retryAfter", 7}},
        {{"match", "case=drop"}, {"kind", "drop"}},
        {{"match", "case=truncate"}, {"kind", "truncate"}},
        {{"match", "case=malformed"}, {"kind", "malformed"}},
        {{"match", "case=hang"}, {"kind", "hang"}, {"seconds", 1}},
        {{"match", "case=latency"}, {"kind", "latency"}, {"ms", 300}},
    };
    auto const fake = FakeAzure::start(estate);
    auto const path = "/subscriptions?api-version=2022-12-01&case=";
    Client client(*fake);

    // A fault with times runs out; then the request is handled as usual.
    auto const unavailable = client.get(path + std::string("status"));
    BOOST_TEST(unavailable.status == 503);
    BOOST_TEST(unavailable.code() == "ServiceUnavailable");
    BOOST_TEST(client.get(path + std::string("status")).status == 401);
    BOOST_TEST(client.get(path + std::string("forbidden")).code() ==
               "AuthorizationFailed");
    auto const throttled = client.get(path + std::string("throttle"));
    BOOST_TEST(throttled.status == 429);
    BOOST_TEST(throttled.code() == "TooManyRequests");
    BOOST_TEST(throttled.headers[http::field::retry_after] == "7");
    auto const malformed = client.get(path + std::string("malformed"));
    BOOST_TEST(malformed.status == 200);
    boost::system::error_code ec;
    bj::parse(malformed.body, ec);
    BOOST_TEST(ec.failed());
    auto const started = Clock::now();
    BOOST_TEST(client.get(path + std::string("latency")).status == 401);
    BOOST_TEST((Clock::now() - started >= 300ms));

    // These end the connection, each on its own.
    for (auto const* kind : {"drop", "truncate", "hang"}) {
        Client once(*fake);
        auto const begun = Clock::now();
        auto const answer = once.get(path + std::string(kind));
        BOOST_TEST(answer.status == 0, kind);
        BOOST_TEST(answer.error.failed(), kind);
        BOOST_TEST((Clock::now() - begun < 4s), kind);
        if (std::string(kind) == "hang")
            BOOST_TEST((Clock::now() - begun >= 900ms));
    }

    auto const stats = fake->stats();
    BOOST_TEST(count(stats, "faultsApplied") == 8);
    BOOST_TEST(bj::serialize(stats.at("faultHits")) == "[1,1,1,1,1,1,1,1]");
}

BOOST_AUTO_TEST_CASE(writes_are_refused_and_recorded)
{
    auto const fake = FakeAzure::start(byos_pair_estate());
    auto const token = arm_token(*fake);
    Client client(*fake);
    auto const target = std::string(pair_storage_id) + "?api-version=1";
    std::vector<std::pair<std::string, std::string>> const auth{
        {"Authorization", "Bearer " + token}};

    for (auto const* method :
         {"PUT", "PATCH", "DELETE", "POST", "HEAD", "OPTIONS"}) {
        auto const answer = client.send(method, target, {}, auth);
        BOOST_TEST(answer.status == 405, method);
    }
    BOOST_TEST(
        client
            .send("POST",
                  std::string(pair_storage_id) + "/listKeys?api-version=1", {},
                  auth)
            .status == 405);
    BOOST_TEST(client.get(target, token).status == 200);

    auto const violations = fake->stats().at("violations").as_array();
    BOOST_REQUIRE_EQUAL(violations.size(), 7u);
    BOOST_TEST(violations[0].as_string() == "PUT " + target);
    BOOST_TEST(violations[4].as_string() == "HEAD " + target);
}

BOOST_AUTO_TEST_CASE(one_connection_carries_many_requests)
{
    auto const fake = FakeAzure::start(fake_estate());
    Client client(*fake);
    auto const issued =
        request_token(client, "client_secret", fake_client_secret);
    auto const token =
        std::string(issued.json().at("access_token").as_string());
    for (int i = 0; i < 3; ++i)
        BOOST_TEST(
            client.get("/subscriptions?api-version=2022-12-01", token).status ==
            200);
    Client plain(*fake, false);
    BOOST_TEST(plain
                   .get("/metadata/identity/oauth2/token?api-version=1&"
                        "resource=x",
                        {}, {{"Metadata", "true"}})
                   .status == 200);
    BOOST_TEST(plain
                   .get("/metadata/identity/oauth2/token?api-version=1&"
                        "resource=x",
                        {}, {{"Metadata", "true"}})
                   .status == 200);

    auto const stats = fake->stats();
    BOOST_TEST(count(stats, "requests") == 6);
    BOOST_TEST(count(stats, "connections") == 2);
    BOOST_TEST(stats.at("connectionsByPort").at("https").as_int64() == 1);
    BOOST_TEST(count(stats, "peakInFlight") == 1);
}

BOOST_AUTO_TEST_CASE(requests_on_several_connections_run_at_once)
{
    auto estate = fake_estate();
    estate["latencyMs"] = 400;
    auto const fake = FakeAzure::start(estate);
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 4; ++i)
        clients.push_back(std::make_unique<Client>(*fake));

    auto const started = Clock::now();
    std::vector<std::thread> threads;
    std::vector<int> statuses(clients.size());
    for (std::size_t i = 0; i < clients.size(); ++i)
        threads.emplace_back([&, i] {
            statuses[i] =
                clients[i]->get("/subscriptions?api-version=1").status;
        });
    for (auto& thread : threads)
        thread.join();
    auto const elapsed = Clock::now() - started;

    BOOST_TEST((statuses == std::vector<int>{401, 401, 401, 401}));
    BOOST_TEST((elapsed < 1200ms));
    BOOST_TEST(count(fake->stats(), "peakInFlight") >= 3);

    // A request leaves the count after its response is out, so the last
    // one may still be counted when its client has the answer.
    auto const deadline = Clock::now() + 2s;
    while (count(fake->stats(), "inFlight") != 0 && Clock::now() < deadline)
        std::this_thread::sleep_for(5ms);
    BOOST_TEST(count(fake->stats(), "inFlight") == 0);
}

BOOST_AUTO_TEST_CASE(no_credential_reaches_the_stats_or_the_log)
{
    auto const fake = FakeAzure::start(byos_pair_estate());
    Client client(*fake);
    Client plain(*fake, false);
    std::vector<std::string> secrets{fake_client_secret, fake_federated_token,
                                     fake_identity_header};
    for (auto const& [field, value] :
         {std::pair{"client_secret", fake_client_secret},
          std::pair{"client_assertion", fake_federated_token}})
        secrets.emplace_back(request_token(client, field, value)
                                 .json()
                                 .at("access_token")
                                 .as_string());
    secrets.emplace_back(
        plain
            .get("/msi/token?api-version=2019-08-01&resource=https://"
                 "management.core.windows.net/",
                 {}, {{"X-IDENTITY-HEADER", fake_identity_header}})
            .json()
            .at("access_token")
            .as_string());
    for (std::size_t i = 3; i < secrets.size(); ++i)
        BOOST_TEST(client
                       .get(std::string(pair_storage_id) + "?api-version=1",
                            secrets[i])
                       .status == 200);

    // A client that leaks a token into a URL is counted, not copied.
    BOOST_TEST(
        client.get("/subscriptions?api-version=1&t=" + secrets[3], secrets[3])
            .status == 200);
    auto const stats_text = bj::serialize(fake->stats());
    auto const log = fake->log();
    for (auto const& secret : secrets) {
        BOOST_TEST(stats_text.find(secret) == std::string::npos);
        BOOST_TEST(log.find(secret) == std::string::npos);
    }
    BOOST_TEST(count(fake->stats(), "secretsInTargets") == 1);
    BOOST_TEST(count(fake->stats(), "withAuthorization") == 4);
}

BOOST_AUTO_TEST_CASE(the_pair_estate_audits_clean)
{
    auto const fake = FakeAzure::start(byos_pair_estate());
    auto const token = arm_token(*fake);
    Client client(*fake);

    // Collects what a scan would, the way docs/snapshot-format.md says.
    auto entry = [&](std::string const& scope, std::string const& request,
                     bool list) {
        auto const answer = client.get(request, token);
        BOOST_TEST(answer.status == 200, request);
        bj::object item{{"request", request}, {"status", answer.status}};
        if (!scope.empty())
            item["scope"] = scope;
        if (list)
            item["pages"] = bj::array{answer.json()};
        else
            item["body"] = answer.json();
        return bj::array{item};
    };
    std::string const role_id = sub_path +
                                "/providers/Microsoft.Authorization/"
                                "roleDefinitions/" +
                                storage_blob_data_contributor;
    auto assignments =
        entry(pair_storage_id,
              std::string(pair_storage_id) +
                  "/providers/Microsoft.Authorization/roleAssignments"
                  "?api-version=2022-04-01&%24filter=principalId%20eq%20%27" +
                  pair_principal_id + "%27",
              true);
    assignments[0].as_object()["principalId"] = pair_principal_id;
    bj::object const snapshot{
        {"snapshotFormat", "byos-audit/1"},
        {"scope", {{"subscriptions", bj::array{fake_subscription_id}}}},
        {"collections",
         {{"subscriptions",
           entry({}, "/subscriptions?api-version=2022-12-01", true)},
          {"locations",
           entry(sub_path, sub_path + "/locations?api-version=2022-12-01",
                 true)},
          {"features",
           entry(sub_path,
                 sub_path + "/providers/Microsoft.Features/providers/"
                            "Microsoft.CognitiveServices/features/"
                            "byoxPreview?api-version=2021-07-01",
                 false)},
          {"speechAccounts",
           entry(sub_path,
                 sub_path + "/providers/Microsoft.CognitiveServices/"
                            "accounts?api-version=2024-10-01",
                 true)},
          {"storageAccounts",
           entry(pair_storage_id,
                 std::string(pair_storage_id) + "?api-version=2023-05-01",
                 false)},
          {"blobServices",
           entry(pair_storage_id,
                 std::string(pair_storage_id) +
                     "/blobServices/default?api-version=2023-05-01",
                 false)},
          {"roleAssignments", assignments},
          {"roleDefinitions",
           entry(role_id, role_id + "?api-version=2022-04-01", false)}}}};

    auto const dir = make_temp_dir();
    write_text(dir + "/scan.json", bj::serialize(snapshot));
    auto const run = run_tool({"check", dir + "/scan.json"});
    BOOST_TEST(run.exit_code == 0, run.out + run.err);
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_bad_estate_is_refused_with_its_reason)
{
    auto estate = fake_estate();
    estate["pagesize"] = 2;
    BOOST_CHECK_EXCEPTION(FakeAzure::start(estate), std::runtime_error,
                          [](std::runtime_error const& e) {
                              return std::string(e.what()).find(
                                         "unknown estate key "
                                         "\"pagesize\"") != std::string::npos;
                          });
}

BOOST_AUTO_TEST_CASE(stops_on_sigterm_and_after_its_time)
{
    auto const fake = FakeAzure::start(fake_estate());
    BOOST_TEST(fake->stop() == 0);

    auto const brief = FakeAzure::start(fake_estate(), 1);
    auto const deadline = Clock::now() + 5s;
    while (brief->running() && Clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    BOOST_TEST(!brief->running());
    BOOST_TEST(brief->stop() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
