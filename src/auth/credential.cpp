#include "auth/credential.hpp"

#include "util/files.hpp"
#include "util/process.hpp"
#include "util/strings.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cstdlib>
#include <ctime>

namespace byos::auth {

namespace asio = boost::asio;
namespace bj = boost::json;
using asio::awaitable;
using std::chrono::system_clock;

std::array<Cloud, 3> const clouds = {{
    {"AzureCloud", "https://management.azure.com",
     "https://login.microsoftonline.com", "https://management.azure.com/"},
    {"AzureUSGovernment", "https://management.usgovcloudapi.net",
     "https://login.microsoftonline.us",
     "https://management.usgovcloudapi.net/"},
    {"AzureChinaCloud", "https://management.chinacloudapi.cn",
     "https://login.chinacloudapi.cn", "https://management.chinacloudapi.cn/"},
}};

Cloud const* cloud_named(std::string_view name)
{
    for (auto const& cloud : clouds)
        if (iequals(cloud.name, name))
            return &cloud;
    return nullptr;
}

namespace {

struct KindName
{
    char const* name;
    Kind kind;
};

constexpr std::array<KindName, 4> kind_table = {{
    {"environment", Kind::environment},
    {"workload-identity", Kind::workload_identity},
    {"managed-identity", Kind::managed_identity},
    {"azure-cli", Kind::azure_cli},
}};

}

char const* to_string(Kind kind)
{
    for (auto const& row : kind_table)
        if (row.kind == kind)
            return row.name;
    return "";
}

std::optional<Kind> kind_named(std::string_view name)
{
    for (auto const& row : kind_table)
        if (iequals(row.name, name))
            return row.kind;
    return std::nullopt;
}

std::string kind_names()
{
    std::string out;
    for (auto const& row : kind_table)
        out += (out.empty() ? "" : ", ") + std::string(row.name);
    return out;
}

Getenv process_environment()
{
    return [](char const* name) {
        char const* value = std::getenv(name);
        return value ? std::string(value) : std::string();
    };
}

namespace {

std::string first_line(std::string_view text, std::size_t max = 300)
{
    auto line = text.substr(0, text.find('\n'));
    if (line.size() > max)
        return std::string(line.substr(0, max)) + "...";
    return std::string(line);
}

// A number given as a JSON number or as a string of digits, as the token
// endpoints variously do.
std::optional<long long> number_of(bj::value const* v)
{
    if (!v)
        return std::nullopt;
    if (v->is_int64())
        return v->get_int64();
    if (v->is_uint64())
        return static_cast<long long>(v->get_uint64());
    if (v->is_double())
        return static_cast<long long>(v->get_double());
    if (auto const* s = v->if_string()) {
        char* end = nullptr;
        auto const n = std::strtoll(s->c_str(), &end, 10);
        if (!s->empty() && end && *end == '\0')
            return n;
    }
    return std::nullopt;
}

// Why a token endpoint said no, from its error body, never echoing the
// request.
Error refusal(std::string const& from, net::Response const& response)
{
    if (response.status == 0)
        return Error{"", "", "no answer: " + response.failure};
    std::string why;
    bj::error_code ec;
    auto const body = bj::parse(response.body, ec);
    if (auto const* o = ec ? nullptr : body.if_object()) {
        auto const* error = o->if_contains("error");
        if (auto const* code = error ? error->if_string() : nullptr)
            why = std::string(*code);
        else if (auto const* inner = error ? error->if_object() : nullptr)
            if (auto const* c = inner->if_contains("code"); c && c->is_string())
                why = std::string(c->get_string());
        for (auto const* key : {"error_description", "message"})
            if (auto const* d = o->if_contains(key); d && d->is_string())
                why += (why.empty() ? "" : ": ") +
                       first_line(std::string(d->get_string()));
    }
    return Error{"", "",
                 from + " answered " + std::to_string(response.status) +
                     (why.empty() ? "" : ": " + why)};
}

Result<Token> parse_token(std::string const& from, net::Response const& r)
{
    if (r.status != 200)
        return refusal(from, r);
    bj::error_code ec;
    auto const body = bj::parse(r.body, ec);
    auto const* o = ec ? nullptr : body.if_object();
    auto const* value = o ? o->if_contains("access_token") : nullptr;
    if (!value || !value->is_string() || value->get_string().empty())
        return Error{"", "", from + " answered 200 without an access_token"};

    Token token{std::string(value->get_string()), {}};
    if (auto const on = number_of(o->if_contains("expires_on")))
        token.expires = system_clock::from_time_t(static_cast<std::time_t>(*on));
    else if (auto const in = number_of(o->if_contains("expires_in")))
        token.expires = system_clock::now() + std::chrono::seconds(*in);
    else
        return Error{"", "", from + " gave a token without an expiry"};
    return token;
}

// A token from an Entra ID token endpoint: a client secret or a
// federated assertion, by the client credentials grant.
class ClientCredential final : public Credential
{
public:
    ClientCredential(Kind kind, Settings const& settings, std::string tenant,
                     std::string client, std::string secret_or_file)
        : kind_(kind), settings_(settings), tenant_(std::move(tenant)),
          client_(std::move(client)), secret_(std::move(secret_or_file))
    {
    }

    Kind kind() const override { return kind_; }

    awaitable<Result<Token>> fetch(net::Client& client) override
    {
        auto url = net::join(settings_.authority_host,
                             net::url_encode(tenant_) + "/oauth2/v2.0/token");
        if (!url)
            co_return url.error();
        std::string form = "grant_type=client_credentials&client_id=" +
                           net::url_encode(client_) + "&scope=" +
                           net::url_encode(settings_.audience + ".default");
        if (kind_ == Kind::environment) {
            form += "&client_secret=" + net::url_encode(secret_);
        } else {
            // The federated token rotates; it is read again for each fetch.
            auto assertion = read_text_file(secret_);
            if (!assertion)
                co_return Error{secret_, "",
                                "cannot read AZURE_FEDERATED_TOKEN_FILE: " +
                                    assertion.error().message};
            form += "&client_assertion_type=" +
                    net::url_encode("urn:ietf:params:oauth:client-assertion-"
                                    "type:jwt-bearer") +
                    "&client_assertion=" + net::url_encode(trim(*assertion));
        }
        auto const request = net::Request::token(*url, std::move(form));
        auto const response = co_await client.send(request);
        co_return parse_token("the token endpoint " + url->origin(), response);
    }

private:
    static std::string trim(std::string text)
    {
        while (!text.empty() && std::isspace(static_cast<unsigned char>(
                                    text.back())))
            text.pop_back();
        return text;
    }

    Kind kind_;
    Settings settings_;
    std::string tenant_, client_, secret_;
};

// A managed identity: App Service's endpoint when IDENTITY_ENDPOINT and
// IDENTITY_HEADER are set, the instance metadata service otherwise.
class ManagedIdentity final : public Credential
{
public:
    ManagedIdentity(net::Url url, std::string header, std::string value,
                    std::string from)
        : url_(std::move(url)), header_(std::move(header)),
          value_(std::move(value)), from_(std::move(from))
    {
    }

    Kind kind() const override { return Kind::managed_identity; }

    // A probe's token is used once, then tokens are fetched anew.
    void keep(Token token) { probed_ = std::move(token); }

    net::Request request() const
    {
        return net::Request::managed_identity(url_, header_, value_);
    }

    std::string const& from() const { return from_; }

    awaitable<Result<Token>> fetch(net::Client& client) override
    {
        if (probed_) {
            auto token = std::move(*probed_);
            probed_.reset();
            co_return token;
        }
        auto const mine = request();
        auto const response = co_await client.send(mine);
        co_return parse_token(from_, response);
    }

private:
    net::Url url_;
    std::string header_, value_, from_;
    std::optional<Token> probed_;
};

// `az account get-access-token`, for people logged in with az.
class AzureCli final : public Credential
{
public:
    AzureCli(Settings const& settings, std::string tenant)
        : settings_(settings), tenant_(std::move(tenant))
    {
    }

    Kind kind() const override { return Kind::azure_cli; }

    // Runs az on the scan's thread: it is asked once at the start and
    // again only when the token is about to expire.
    awaitable<Result<Token>> fetch(net::Client&) override
    {
        std::vector<std::string> args{"az",         "account", "get-access-token",
                                      "--output",   "json",    "--resource",
                                      settings_.audience};
        if (!tenant_.empty()) {
            args.push_back("--tenant");
            args.push_back(tenant_);
        }
        auto run = run_process(args, settings_.cli_timeout);
        if (!run)
            co_return run.error();
        if (run->exit_code != 0)
            co_return Error{"", "",
                            "az account get-access-token failed (exit " +
                                std::to_string(run->exit_code) +
                                "): " + first_line(run->err)};
        bj::error_code ec;
        auto const body = bj::parse(run->out, ec);
        auto const* o = ec ? nullptr : body.if_object();
        auto const* value = o ? o->if_contains("accessToken") : nullptr;
        if (!value || !value->is_string() || value->get_string().empty())
            co_return Error{"", "",
                            "az account get-access-token printed no "
                            "accessToken"};
        Token token{std::string(value->get_string()), {}};
        if (auto const on = number_of(o->if_contains("expires_on"))) {
            token.expires =
                system_clock::from_time_t(static_cast<std::time_t>(*on));
        } else if (auto const* text = o->if_contains("expiresOn");
                   text && text->is_string()) {
            // Older az prints local time without a zone.
            std::tm tm{};
            if (!strptime(text->get_string().c_str(), "%Y-%m-%d %H:%M:%S",
                          &tm))
                co_return Error{"", "", "az printed an unreadable expiresOn"};
            tm.tm_isdst = -1;
            token.expires = system_clock::from_time_t(std::mktime(&tm));
        } else {
            co_return Error{"", "", "az printed a token without an expiry"};
        }
        co_return token;
    }

private:
    Settings settings_;
    std::string tenant_;
};

Result<std::unique_ptr<ManagedIdentity>>
managed_identity(Settings const& settings, Getenv const& getenv)
{
    auto const endpoint = getenv("IDENTITY_ENDPOINT");
    auto const header = getenv("IDENTITY_HEADER");
    auto const client = getenv("AZURE_CLIENT_ID");
    std::string query = "resource=" + net::url_encode(settings.audience);
    if (!client.empty())
        query += "&client_id=" + net::url_encode(client);

    if (!endpoint.empty() && !header.empty()) {
        auto url = net::parse_url(endpoint);
        if (!url)
            return Error{"", "", "IDENTITY_ENDPOINT: " + url.error().message};
        url->target += std::string(url->target.find('?') == std::string::npos
                                       ? "?"
                                       : "&") +
                       "api-version=2019-08-01&" + query;
        return std::make_unique<ManagedIdentity>(
            *url, "X-IDENTITY-HEADER", header,
            "the managed identity endpoint " + url->origin());
    }
    auto url = net::join(settings.imds_endpoint,
                         "metadata/identity/oauth2/token");
    if (!url)
        return Error{"", "", "the metadata service: " + url.error().message};
    url->target += "?api-version=2018-02-01&" + query;
    return std::make_unique<ManagedIdentity>(
        *url, "Metadata", "true", "the metadata service " + url->origin());
}

}

awaitable<Result<std::unique_ptr<Credential>>>
choose(Settings const& settings, Getenv const& getenv, net::Client& client)
{
    auto const set = [&](std::initializer_list<char const*> names) {
        for (auto const* name : names)
            if (getenv(name).empty())
                return false;
        return true;
    };
    auto const wanted = [&](Kind kind) {
        return !settings.only || *settings.only == kind;
    };
    using Chosen = Result<std::unique_ptr<Credential>>;

    if (wanted(Kind::environment)) {
        if (set({"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"}))
            co_return Chosen(std::make_unique<ClientCredential>(
                Kind::environment, settings, getenv("AZURE_TENANT_ID"),
                getenv("AZURE_CLIENT_ID"), getenv("AZURE_CLIENT_SECRET")));
        if (settings.only)
            co_return Error{"", "",
                            "--auth environment needs AZURE_TENANT_ID, "
                            "AZURE_CLIENT_ID and AZURE_CLIENT_SECRET"};
    }
    if (wanted(Kind::workload_identity)) {
        if (set({"AZURE_TENANT_ID", "AZURE_CLIENT_ID",
                 "AZURE_FEDERATED_TOKEN_FILE"}))
            co_return Chosen(std::make_unique<ClientCredential>(
                Kind::workload_identity, settings, getenv("AZURE_TENANT_ID"),
                getenv("AZURE_CLIENT_ID"),
                getenv("AZURE_FEDERATED_TOKEN_FILE")));
        if (settings.only)
            co_return Error{"", "",
                            "--auth workload-identity needs AZURE_TENANT_ID, "
                            "AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE"};
    }
    if (wanted(Kind::managed_identity)) {
        auto identity = managed_identity(settings, getenv);
        if (!identity)
            co_return identity.error();
        bool const app_service =
            set({"IDENTITY_ENDPOINT", "IDENTITY_HEADER"});
        if (app_service || settings.only)
            co_return Chosen(std::move(*identity));
        // Without App Service's variables, the metadata service is tried
        // briefly: any answer means it is there.
        auto probe = (*identity)->request();
        probe.limit(std::chrono::milliseconds(1'000), 1);
        auto const answer = co_await client.send(probe);
        if (answer.status != 0) {
            auto token = parse_token((*identity)->from(), answer);
            if (!token)
                co_return token.error();
            (*identity)->keep(std::move(*token));
            co_return Chosen(std::move(*identity));
        }
    }
    if (wanted(Kind::azure_cli)) {
        if (!find_in_path("az").empty() || settings.only)
            co_return Chosen(std::make_unique<AzureCli>(
                settings, getenv("AZURE_TENANT_ID")));
    }
    co_return Error{"", "",
                    "no credential found: set AZURE_TENANT_ID, "
                    "AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or "
                    "AZURE_FEDERATED_TOKEN_FILE), run where a managed "
                    "identity is available, or log in with az login"};
}

TokenCache::TokenCache(Credential& credential, net::Client& client,
                       asio::any_io_executor executor)
    : credential_(credential), client_(client), executor_(std::move(executor))
{
}

awaitable<Result<std::string>> TokenCache::bearer()
{
    while (fetching_) {
        auto timer = std::make_shared<asio::steady_timer>(
            executor_, asio::steady_timer::time_point::max());
        waiting_.push_back(timer);
        co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (failed_)
        co_return *failed_;

    auto const now = system_clock::now();
    if (token_) {
        auto const life = token_->expires - issued_;
        auto const margin = std::min<system_clock::duration>(
            std::chrono::minutes(5), life / 2);
        if (now + margin < token_->expires)
            co_return token_->value;
    }

    fetching_ = true;
    ++fetches_;
    auto fetched = co_await credential_.fetch(client_);
    fetching_ = false;
    for (auto& timer : waiting_)
        timer->cancel();
    waiting_.clear();
    if (!fetched) {
        failed_ = fetched.error();
        co_return fetched.error();
    }
    token_ = std::move(*fetched);
    issued_ = now;
    co_return token_->value;
}

}
