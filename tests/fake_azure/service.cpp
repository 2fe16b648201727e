#include "fake_azure/service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <initializer_list>
#include <stdexcept>

namespace byos::fake {

namespace json = boost::json;

// A request target taken apart. Segments are percent-decoded; `segments`
// and `key` are folded to lower case, since ARM IDs ignore case.
struct Target
{
    std::string raw_path;
    std::string raw_query;
    std::vector<std::string> raw_segments;
    std::vector<std::string> segments;
    std::string key; // "/a/b", the form of Resource::key; "" for "/"
    std::vector<std::pair<std::string, std::string>> query;

    // The first query parameter named `name`, ignoring case.
    std::optional<std::string> param(std::string_view name) const;
};

namespace {

// The stats file keeps this many requests in its logs; more are counted
// in "requestLogDropped".
constexpr std::size_t max_log_entries = 10'000;

constexpr std::array<char const*, 11> route_names{
    "token",           "msi",           "imds",        "subscriptions",
    "locations",       "speechList",    "storageList", "resource",
    "roleAssignments", "resourceGraph", "other"};

struct KindName
{
    FaultKind kind;
    char const* name;
};

constexpr std::array<KindName, 7> kind_names{{
    {FaultKind::status, "status"},
    {FaultKind::throttle, "throttle"},
    {FaultKind::drop, "drop"},
    {FaultKind::truncate, "truncate"},
    {FaultKind::malformed, "malformed"},
    {FaultKind::hang, "hang"},
    {FaultKind::latency, "latency"},
}};

char const* name_of(FaultKind kind)
{
    for (auto const& entry : kind_names)
        if (entry.kind == kind)
            return entry.name;
    return "?";
}

// The management audiences of the three clouds, normalised.
constexpr std::array<char const*, 6> default_audiences{
    "https://management.azure.com",
    "https://management.core.windows.net",
    "https://management.usgovcloudapi.net",
    "https://management.core.usgovcloudapi.net",
    "https://management.chinacloudapi.cn",
    "https://management.core.chinacloudapi.cn"};

constexpr std::string_view jwt_bearer =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

std::string lower(std::string_view text)
{
    std::string out(text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && lower(a) == lower(b);
}

bool icontains(std::string_view text, std::string_view part)
{
    return lower(text).find(lower(part)) != std::string::npos;
}

std::string trim(std::string_view text)
{
    auto const first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    auto const last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Decodes %XX escapes; a malformed escape stays as it is. In a query or a
// form, '+' stands for a space.
std::string percent_decode(std::string_view text, bool plus_is_space)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto const c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            auto const high = hex_digit(text[i + 1]);
            auto const low = hex_digit(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out.push_back(static_cast<char>(high * 16 + low));
                i += 2;
                continue;
            }
        }
        out.push_back(plus_is_space && c == '+' ? ' ' : c);
    }
    return out;
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto const end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos)
            return parts;
        start = end + 1;
    }
}

std::vector<std::pair<std::string, std::string>>
parse_pairs(std::string_view text)
{
    std::vector<std::pair<std::string, std::string>> pairs;
    for (auto const part : split(text, '&')) {
        if (part.empty())
            continue;
        auto const equals = part.find('=');
        auto const name = part.substr(0, equals);
        auto const value = equals == std::string_view::npos
                               ? std::string_view{}
                               : part.substr(equals + 1);
        pairs.emplace_back(percent_decode(name, true),
                           percent_decode(value, true));
    }
    return pairs;
}

// The non-empty segments of a path, so "//a/b/" and "/a/b" are the same.
std::vector<std::string> segments_of(std::string_view path)
{
    std::vector<std::string> segments;
    for (auto const part : split(path, '/'))
        if (!part.empty())
            segments.emplace_back(part);
    return segments;
}

std::string join(std::vector<std::string> const& segments, std::size_t count)
{
    std::string out;
    for (std::size_t i = 0; i < count && i < segments.size(); ++i)
        out += "/" + segments[i];
    return out;
}

// The comparison key of an ARM ID: lower case, whole segments.
std::string key_of(std::string_view id)
{
    auto const segments = segments_of(lower(id));
    return join(segments, segments.size());
}

Target parse_target(std::string_view raw)
{
    Target target;
    auto const question = raw.find('?');
    target.raw_path = std::string(raw.substr(0, question));
    if (question != std::string_view::npos)
        target.raw_query = std::string(raw.substr(question + 1));
    target.raw_segments = segments_of(percent_decode(target.raw_path, false));
    for (auto const& segment : target.raw_segments)
        target.segments.push_back(lower(segment));
    target.key = join(target.segments, target.segments.size());
    target.query = parse_pairs(target.raw_query);
    return target;
}

// Whether `segments` ends with the lower-case `tail`.
bool ends_with(std::vector<std::string> const& segments,
               std::initializer_list<std::string_view> tail)
{
    if (segments.size() < tail.size())
        return false;
    return std::equal(tail.begin(), tail.end(),
                      segments.end() - static_cast<long>(tail.size()));
}

bool is_list_of(Target const& target, std::string_view provider,
                std::string_view type)
{
    auto const& s = target.segments;
    bool const subscription_scope = s.size() == 5;
    bool const group_scope = s.size() == 7 && s[2] == "resourcegroups";
    return s[0] == "subscriptions" && (subscription_scope || group_scope) &&
           ends_with(s, {"providers", provider, type});
}

Route classify(Target const& target)
{
    auto const& s = target.segments;
    if (s.empty())
        return Route::other;
    if (s.size() == 4 && s[1] == "oauth2" && s[2] == "v2.0" && s[3] == "token")
        return Route::token;
    if (s.size() == 2 && s[0] == "msi" && s[1] == "token")
        return Route::msi;
    if (s.size() == 4 && s[0] == "metadata" && s[1] == "identity" &&
        s[2] == "oauth2" && s[3] == "token")
        return Route::imds;
    if (s.size() == 3 && s[0] == "providers" &&
        s[1] == "microsoft.resourcegraph" && s[2] == "resources")
        return Route::resource_graph;
    if (ends_with(s,
                  {"providers", "microsoft.authorization", "roleassignments"}))
        return Route::role_assignments;
    if (s[0] == "subscriptions" && s.size() <= 2)
        return Route::subscriptions;
    if (s[0] == "subscriptions" && s.size() == 3 && s[2] == "locations")
        return Route::locations;
    if (is_list_of(target, "microsoft.cognitiveservices", "accounts"))
        return Route::speech_list;
    if (is_list_of(target, "microsoft.storage", "storageaccounts"))
        return Route::storage_list;
    if (s[0] == "subscriptions" || s[0] == "providers")
        return Route::resource;
    return Route::other;
}

// The read-only guard: GETs, and POSTs that only read (a token, a query).
bool allowed(std::string_view method, Route route)
{
    if (method == "GET")
        return true;
    return method == "POST" &&
           (route == Route::token || route == Route::resource_graph);
}

bool is_identity(Route route)
{
    return route == Route::token || route == Route::msi || route == Route::imds;
}

std::string base64url(unsigned char const* data, std::size_t size)
{
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < size; i += 3) {
        unsigned const n = data[i] << 16 | data[i + 1] << 8 | data[i + 2];
        for (int shift : {18, 12, 6, 0})
            out.push_back(alphabet[(n >> shift) & 63]);
    }
    if (i + 1 == size) {
        unsigned const n = data[i] << 16;
        out.push_back(alphabet[(n >> 18) & 63]);
        out.push_back(alphabet[(n >> 12) & 63]);
    } else if (i + 2 == size) {
        unsigned const n = data[i] << 16 | data[i + 1] << 8;
        for (int shift : {18, 12, 6})
            out.push_back(alphabet[(n >> shift) & 63]);
    }
    return out;
}

std::string base64url(std::string_view text)
{
    return base64url(reinterpret_cast<unsigned char const*>(text.data()),
                     text.size());
}

// Random bytes from OpenSSL, base64url-encoded. A failing random source is
// a broken machine, not a test input, so it throws.
std::string random_text(std::size_t bytes)
{
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return base64url(buffer.data(), buffer.size());
}

// "https://management.azure.com/.default" and
// "https://management.azure.com/" both become
// "https://management.azure.com".
std::string normalize_audience(std::string_view audience)
{
    auto text = lower(audience);
    constexpr std::string_view suffix = "/.default";
    if (text.size() >= suffix.size() &&
        text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0)
        text.resize(text.size() - suffix.size());
    while (!text.empty() && text.back() == '/')
        text.pop_back();
    return text;
}

long long epoch_now()
{
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Reply json_reply(int status, json::value const& body)
{
    Reply reply;
    reply.status = status;
    reply.body = json::serialize(body);
    return reply;
}

std::string usual_code(int status)
{
    switch (status) {
    case 400: return "BadRequest";
    case 401: return "InvalidAuthenticationToken";
    case 403: return "AuthorizationFailed";
    case 404: return "ResourceNotFound";
    case 408: return "RequestTimeout";
    case 409: return "Conflict";
    case 429: return "TooManyRequests";
    case 500: return "InternalServerError";
    case 502: return "BadGateway";
    case 503: return "ServiceUnavailable";
    case 504: return "GatewayTimeout";
    default: return "Error" + std::to_string(status);
    }
}

Reply arm_error(int status, std::string_view code, std::string_view message)
{
    return json_reply(status,
                      {{"error", {{"code", code}, {"message", message}}}});
}

// Entra ID's error body; `aadsts` is the number its description starts
// with.
Reply entra_error(int status, std::string_view error, int aadsts,
                  std::string_view text)
{
    auto const description =
        "AADSTS" + std::to_string(aadsts) + ": " + std::string(text);
    return json_reply(status, {{"error", error},
                               {"error_description", description},
                               {"error_codes", json::array{aadsts}},
                               {"timestamp", std::to_string(epoch_now())},
                               {"trace_id", "00000000-0000-0000-0000-fa4e"},
                               {"correlation_id", "00000000-0000-0000-0000-"
                                                  "c0441e1a7104"}});
}

// The managed identity endpoints' error body.
Reply identity_error(int status, std::string_view error,
                     std::string_view description)
{
    return json_reply(status,
                      {{"error", error}, {"error_description", description}});
}

bool is_role_definition(Target const& target)
{
    auto const& s = target.segments;
    return s.size() >= 4 && s[s.size() - 4] == "providers" &&
           s[s.size() - 3] == "microsoft.authorization" &&
           s[s.size() - 2] == "roledefinitions";
}

// ARM's 404 for a path nothing in the estate answers, by what the path
// names: a feature, another resource, or nothing ARM knows.
Reply not_found(Target const& target)
{
    auto const& s = target.segments;
    if (std::find(s.begin(), s.end(), "microsoft.features") != s.end())
        return arm_error(404, "FeatureNotFound",
                         "The feature '" + target.raw_segments.back() +
                             "' could not be found.");
    if (std::find(s.begin(), s.end(), "providers") != s.end())
        return arm_error(404, "ResourceNotFound",
                         "The Resource '" + target.raw_path +
                             "' was not found.");
    return arm_error(404, "NotFound",
                     "The fake Azure serves nothing at this path.");
}

// Token requests.

using Form = std::vector<std::pair<std::string, std::string>>;

std::optional<std::string> field_of(Form const& form, std::string_view name)
{
    for (auto const& [key, value] : form)
        if (key == name)
            return value;
    return std::nullopt;
}

Reply missing_field(std::string_view name)
{
    return entra_error(400, "invalid_request", 900144,
                       "The request body must contain the following "
                       "parameter: '" +
                           std::string(name) + "'.");
}

// The refusal of a request that is not a client credentials grant for a
// known client and one resource's /.default scope; nothing when it is.
std::optional<Reply> check_grant(Form const& form, Credentials const& known)
{
    auto const grant = field_of(form, "grant_type");
    if (!grant)
        return missing_field("grant_type");
    if (*grant != "client_credentials")
        return entra_error(400, "unsupported_grant_type", 70003,
                           "The app requested an unsupported grant type '" +
                               *grant + "'.");
    auto const client = field_of(form, "client_id");
    if (!client)
        return missing_field("client_id");
    if (known.client_id.empty() || *client != known.client_id)
        return entra_error(400, "unauthorized_client", 700016,
                           "Application with identifier '" + *client +
                               "' was not found in the directory.");
    auto const scope = field_of(form, "scope");
    if (!scope)
        return missing_field("scope");
    if (scope->find(' ') != std::string::npos || !scope->ends_with("/.default"))
        return entra_error(400, "invalid_scope", 1002012,
                           "The provided value for scope is not valid. "
                           "Client credential flows must have a scope value "
                           "with /.default suffixed to the resource "
                           "identifier.");
    return std::nullopt;
}

// The refusal of a wrong or missing secret or federated assertion.
std::optional<Reply> check_credential(Form const& form,
                                      Credentials const& known)
{
    auto const assertion = field_of(form, "client_assertion");
    auto const secret = field_of(form, "client_secret");
    if (assertion) {
        if (field_of(form, "client_assertion_type") != std::string(jwt_bearer))
            return entra_error(400, "invalid_request", 700023,
                               "The client_assertion_type is not "
                               "supported.");
        if (known.federated_token.empty() ||
            *assertion != known.federated_token)
            return entra_error(401, "invalid_client", 700213,
                               "No matching federated identity record found "
                               "for presented assertion.");
        return std::nullopt;
    }
    if (!secret)
        return entra_error(401, "invalid_client", 7000218,
                           "The request body must contain the following "
                           "parameter: 'client_assertion' or "
                           "'client_secret'.");
    if (known.client_secret.empty() || *secret != known.client_secret)
        return entra_error(401, "invalid_client", 7000215,
                           "Invalid client secret provided. Ensure the "
                           "secret being sent in the request is the client "
                           "secret value, not the client secret ID.");
    return std::nullopt;
}

// Reading the estate file.

std::optional<std::string> unknown_key(json::object const& object,
                                       std::initializer_list<char const*> keys)
{
    for (auto const& member : object) {
        bool const known = std::any_of(keys.begin(), keys.end(), [&](auto k) {
            return member.key() == k;
        });
        if (!known)
            return std::string(member.key());
    }
    return std::nullopt;
}

Problem problem(std::string what)
{
    return Problem::saying(std::move(what));
}

// The string at `key`; empty when absent and not `required`.
Checked<std::string> text_at(json::object const& object, std::string_view key,
                             std::string_view where, bool required)
{
    auto const* value = object.if_contains(key);
    if (!value) {
        if (required)
            return problem(std::string(where) + " needs \"" + std::string(key) +
                           "\"");
        return std::string();
    }
    if (!value->is_string())
        return problem(std::string(where) + "." + std::string(key) +
                       " must be a string");
    return std::string(value->as_string());
}

// The integer at `key`, `fallback` when absent, within [low, high].
Checked<long> integer_at(json::object const& object, std::string_view key,
                         std::string_view where, long fallback, long low,
                         long high)
{
    auto const* value = object.if_contains(key);
    if (!value)
        return fallback;
    boost::system::error_code ec;
    auto const number = value->to_number<long>(ec);
    if (ec || number < low || number > high)
        return problem(std::string(where) + "." + std::string(key) +
                       " must be an integer from " + std::to_string(low) +
                       " to " + std::to_string(high));
    return number;
}

json::array const* array_at(json::object const& object, std::string_view key)
{
    auto const* value = object.if_contains(key);
    return value ? value->if_array() : nullptr;
}

Checked<Credentials> parse_credentials(json::value const* value)
{
    Credentials credentials;
    if (!value)
        return credentials;
    auto const* object = value->if_object();
    if (!object)
        return problem("credentials must be an object");
    if (auto key = unknown_key(*object, {"clientId", "clientSecret",
                                         "federatedToken", "identityHeader"}))
        return problem("unknown key \"" + *key + "\" in credentials");

    std::array<std::pair<char const*, std::string*>, 4> const fields{{
        {"clientId", &credentials.client_id},
        {"clientSecret", &credentials.client_secret},
        {"federatedToken", &credentials.federated_token},
        {"identityHeader", &credentials.identity_header},
    }};
    for (auto const& [key, field] : fields) {
        auto text = text_at(*object, key, "credentials", false);
        if (!text)
            return text.error();
        *field = std::move(*text);
    }
    return credentials;
}

Checked<std::vector<json::object>> parse_subscriptions(json::object const& root,
                                                       std::string_view tenant)
{
    std::vector<json::object> subscriptions;
    auto const* value = root.if_contains("subscriptions");
    if (!value)
        return subscriptions;
    if (!value->is_array())
        return problem("subscriptions must be an array");
    for (std::size_t i = 0; i < value->as_array().size(); ++i) {
        auto const where = "subscriptions[" + std::to_string(i) + "]";
        auto const* item = value->as_array()[i].if_object();
        if (!item)
            return problem(where + " must be an object");
        auto subscription = *item;
        auto id = text_at(subscription, "subscriptionId", where, true);
        if (!id)
            return id.error();

        // ARM always sends these; a test need not spell them out.
        if (!subscription.contains("id"))
            subscription["id"] = "/subscriptions/" + *id;
        if (!subscription.contains("tenantId"))
            subscription["tenantId"] = tenant;
        subscriptions.push_back(std::move(subscription));
    }
    return subscriptions;
}

Checked<std::map<std::string, json::array>>
parse_locations(json::object const& root)
{
    std::map<std::string, json::array> locations;
    auto const* value = root.if_contains("locations");
    if (!value)
        return locations;
    if (!value->is_object())
        return problem("locations must be an object of arrays by "
                       "subscription ID");
    for (auto const& member : value->as_object()) {
        if (!member.value().is_array())
            return problem("locations." + std::string(member.key()) +
                           " must be an array");
        locations[lower(member.key())] = member.value().as_array();
    }
    return locations;
}

Checked<std::vector<Resource>> parse_resources(json::object const& root)
{
    std::vector<Resource> resources;
    auto const* value = root.if_contains("resources");
    if (!value)
        return resources;
    if (!value->is_array())
        return problem("resources must be an array");
    for (std::size_t i = 0; i < value->as_array().size(); ++i) {
        auto const where = "resources[" + std::to_string(i) + "]";
        auto const* item = value->as_array()[i].if_object();
        if (!item)
            return problem(where + " must be an object");
        auto id = text_at(*item, "id", where, true);
        if (!id)
            return id.error();
        auto type = text_at(*item, "type", where, true);
        if (!type)
            return type.error();
        auto key = key_of(*id);
        if (key.empty())
            return problem(where + ".id must be an ARM ID");
        resources.push_back({std::move(key), lower(*type), *item});
    }
    return resources;
}

Checked<Fault> parse_fault(json::value const& value, std::size_t index)
{
    auto const where = "faults[" + std::to_string(index) + "]";
    auto const* object = value.if_object();
    if (!object)
        return problem(where + " must be an object");
    if (auto key = unknown_key(*object, {"match", "method", "kind", "times",
                                         "status", "code", "message",
                                         "retryAfter", "seconds", "ms"}))
        return problem("unknown key \"" + *key + "\" in " + where);

    Fault fault;
    auto match = text_at(*object, "match", where, true);
    auto method = text_at(*object, "method", where, false);
    auto kind = text_at(*object, "kind", where, true);
    auto code = text_at(*object, "code", where, false);
    auto message = text_at(*object, "message", where, false);
    for (auto const* text : {&match, &method, &kind, &code, &message})
        if (!*text)
            return text->error();
    fault.match = lower(*match);
    fault.method = *method;
    for (auto& c : fault.method)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    fault.code = *code;
    fault.message = *message;

    auto const named = std::find_if(
        kind_names.begin(), kind_names.end(),
        [&](KindName const& entry) { return *kind == entry.name; });
    if (named == kind_names.end())
        return problem(where + ".kind \"" + *kind + "\" is not a fault kind");
    fault.kind = named->kind;

    auto status = integer_at(*object, "status", where, 500, 100, 599);
    auto seconds = integer_at(*object, "seconds", where, 60, 0, 3600);
    auto ms = integer_at(*object, "ms", where, 1000, 0, 600'000);
    auto times = integer_at(*object, "times", where, -1, 0, 1'000'000);
    auto retry = integer_at(*object, "retryAfter", where, -1, 0, 3600);
    for (auto const* number : {&status, &seconds, &ms, &times, &retry})
        if (!*number)
            return number->error();
    if (fault.kind == FaultKind::status && !object->contains("status"))
        return problem(where + " of kind status needs \"status\"");
    fault.status = static_cast<int>(*status);
    fault.seconds = *seconds;
    fault.ms = *ms;
    if (*times >= 0)
        fault.times = *times;
    if (*retry >= 0)
        fault.retry_after = *retry;
    return fault;
}

Checked<std::vector<Fault>> parse_faults(json::object const& root)
{
    std::vector<Fault> faults;
    auto const* value = root.if_contains("faults");
    if (!value)
        return faults;
    if (!value->is_array())
        return problem("faults must be an array");
    for (std::size_t i = 0; i < value->as_array().size(); ++i) {
        auto fault = parse_fault(value->as_array()[i], i);
        if (!fault)
            return fault.error();
        faults.push_back(std::move(*fault));
    }
    return faults;
}

Checked<std::vector<std::string>> parse_audiences(json::object const& root)
{
    std::vector<std::string> audiences;
    auto const* value = root.if_contains("audiences");
    if (!value) {
        for (auto const* audience : default_audiences)
            audiences.emplace_back(audience);
        return audiences;
    }
    if (!value->is_array())
        return problem("audiences must be an array of strings");
    for (auto const& item : value->as_array()) {
        if (!item.is_string())
            return problem("audiences must be an array of strings");
        audiences.push_back(normalize_audience(item.as_string()));
    }
    return audiences;
}

// Role assignment scopes.

bool is_management_group(std::vector<std::string> const& s)
{
    return s.size() == 4 && s[0] == "providers" &&
           s[1] == "microsoft.management" && s[2] == "managementgroups";
}

bool is_prefix(std::vector<std::string> const& head,
               std::vector<std::string> const& whole)
{
    return head.size() <= whole.size() &&
           std::equal(head.begin(), head.end(), whole.begin());
}

bool under_a_subscription(std::vector<std::string> const& s)
{
    return !s.empty() && s[0] == "subscriptions";
}

// Whether an assignment at `assigned` reaches `scope` from above or at it.
// The stand-in has one tenant and no management group hierarchy, so every
// management group counts as holding every subscription.
bool at_or_above(std::vector<std::string> const& assigned,
                 std::vector<std::string> const& scope)
{
    return is_prefix(assigned, scope) ||
           (is_management_group(assigned) && under_a_subscription(scope));
}

bool below(std::vector<std::string> const& assigned,
           std::vector<std::string> const& scope)
{
    return is_prefix(scope, assigned) ||
           (is_management_group(scope) && under_a_subscription(assigned));
}

// The scope of a role assignment: properties.scope, or what its ID says.
std::vector<std::string> scope_of(Resource const& assignment)
{
    auto const* properties = assignment.body.if_contains("properties");
    if (properties && properties->is_object()) {
        auto const* scope = properties->as_object().if_contains("scope");
        if (scope && scope->is_string())
            return segments_of(lower(scope->as_string()));
    }
    auto segments = segments_of(assignment.key);
    if (segments.size() >= 4)
        segments.resize(segments.size() - 4);
    return segments;
}

std::string principal_of(Resource const& assignment)
{
    auto const* properties = assignment.body.if_contains("properties");
    if (!properties || !properties->is_object())
        return {};
    auto const* principal = properties->as_object().if_contains("principalId");
    return principal && principal->is_string() ? lower(principal->as_string())
                                               : std::string();
}

struct AssignmentFilter
{
    bool at_scope_only = false;
    std::optional<std::string> principal; // lower case
};

// The quoted value of "principalId eq '...'" or "assignedTo('...')".
std::optional<std::string> quoted(std::string_view text)
{
    auto const value = trim(text);
    if (value.size() < 2 || value.front() != '\'' || value.back() != '\'')
        return std::nullopt;
    return lower(value.substr(1, value.size() - 2));
}

// ARM's role assignment filters: atScope(), principalId eq '...' and
// assignedTo('...') (without group membership, which the stand-in does not
// model), joined by "and".
Checked<AssignmentFilter> parse_filter(std::string const& text)
{
    AssignmentFilter filter;
    auto rest = lower(text);
    while (true) {
        auto const and_at = rest.find(" and ");
        auto const term = trim(rest.substr(0, and_at));
        constexpr std::string_view eq = "principalid eq ";
        constexpr std::string_view assigned = "assignedto(";
        if (term == "atscope()") {
            filter.at_scope_only = true;
        } else if (term.starts_with(eq) && quoted(term.substr(eq.size()))) {
            filter.principal = quoted(term.substr(eq.size()));
        } else if (term.starts_with(assigned) && term.ends_with(")") &&
                   quoted(term.substr(assigned.size(),
                                      term.size() - assigned.size() - 1))) {
            filter.principal = quoted(term.substr(
                assigned.size(), term.size() - assigned.size() - 1));
        } else {
            return problem("the filter term '" + term + "' is not supported");
        }
        if (and_at == std::string::npos)
            return filter;
        rest = rest.substr(and_at + 5);
    }
}

std::optional<std::size_t> parse_offset(std::string_view text)
{
    std::size_t offset = 0;
    auto const [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), offset);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return offset;
}

// The subscription ID an ARM ID starts with, in its original case.
std::string subscription_in(std::string_view id)
{
    auto const segments = segments_of(id);
    if (segments.size() >= 2 && iequals(segments[0], "subscriptions"))
        return segments[1];
    return {};
}

std::string resource_group_in(std::string_view id)
{
    auto const segments = segments_of(id);
    if (segments.size() >= 4 && iequals(segments[2], "resourcegroups"))
        return lower(segments[3]);
    return {};
}

// A Resource Graph query in lower case without white space, with double
// quotes made single, so that the few clauses the stand-in understands
// are found however they are spaced.
std::string squeeze(std::string_view query)
{
    std::string squeezed;
    for (auto const c : lower(query))
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            squeezed.push_back(c == '"' ? '\'' : c);
    return squeezed;
}

// The quoted value of `field=~'...'` or `field=='...'` in a squeezed
// query.
std::optional<std::string> compared_value(std::string const& squeezed,
                                          std::string const& field)
{
    for (auto const* op : {"=~'", "=='"}) {
        auto const at = squeezed.find(field + op);
        if (at == std::string::npos)
            continue;
        auto const begin = at + field.size() + 3;
        auto const end = squeezed.find('\'', begin);
        if (end != std::string::npos)
            return squeezed.substr(begin, end - begin);
    }
    return std::nullopt;
}

// The quoted values of `field in~ ('a', 'b')` in a squeezed query, or the
// one value of `field =~ 'a'`.
std::optional<std::vector<std::string>>
listed_values(std::string const& squeezed, std::string const& field)
{
    if (auto one = compared_value(squeezed, field))
        return std::vector<std::string>{*one};
    auto const at = squeezed.find(field + "in~(");
    if (at == std::string::npos)
        return std::nullopt;
    auto const end = squeezed.find(')', at);
    std::vector<std::string> values;
    auto i = at + field.size() + 4;
    while (i < end) {
        auto const open = squeezed.find('\'', i);
        auto const close = squeezed.find('\'', open + 1);
        if (open >= end || close >= end)
            break;
        values.push_back(squeezed.substr(open + 1, close - open - 1));
        i = close + 1;
    }
    return values;
}

// What a Resource Graph request asks for, as far as the stand-in reads
// its query: which of the two resource types, of which kind and resource
// group, in which order, and pages of which size. Projections and other
// clauses are ignored: rows are always whole resources.
struct GraphQuery
{
    bool speech = false;      // Cognitive Services accounts
    bool storage = false;     // storage accounts
    bool speech_only = false; // Cognitive Services accounts of that kind only
    // Lower case; none: every group.
    std::optional<std::vector<std::string>> resource_groups;
    std::optional<bool> by_id_descending;      // order by id
    std::vector<std::string> subscriptions;    // lower case; empty: all
    std::optional<std::size_t> top;
    std::size_t offset = 0;

    bool wants(Resource const& resource, std::string const& subscription) const
    {
        bool const is_speech =
            resource.type_key == "microsoft.cognitiveservices/accounts";
        bool const is_storage =
            resource.type_key == "microsoft.storage/storageaccounts";
        if (!(speech && is_speech) && !(storage && is_storage))
            return false;
        if (!subscriptions.empty() &&
            std::find(subscriptions.begin(), subscriptions.end(),
                      lower(subscription)) == subscriptions.end())
            return false;
        if (resource_groups &&
            std::find(resource_groups->begin(), resource_groups->end(),
                      resource_group_in(resource.key)) ==
                resource_groups->end())
            return false;
        if (!is_speech || !speech_only)
            return true;
        auto const* kind = resource.body.if_contains("kind");
        return kind && kind->is_string() &&
               iequals(kind->as_string(), "SpeechServices");
    }
};

Checked<GraphQuery> parse_graph_query(std::string const& text)
{
    boost::system::error_code ec;
    auto const parsed = json::parse(text, ec);
    auto const* body = ec ? nullptr : parsed.if_object();
    if (!body)
        return problem("the request body is not a JSON object");
    auto const* query = body->if_contains("query");
    if (!query || !query->is_string())
        return problem("the query is missing");

    GraphQuery graph;
    graph.speech =
        icontains(query->as_string(), "microsoft.cognitiveservices/accounts");
    graph.storage =
        icontains(query->as_string(), "microsoft.storage/storageaccounts");
    if (!graph.speech && !graph.storage)
        return problem("the fake Resource Graph answers queries for "
                       "Cognitive Services and storage accounts only");
    auto const squeezed = squeeze(query->as_string());
    graph.speech_only =
        compared_value(squeezed, "kind") == std::string("speechservices");
    graph.resource_groups = listed_values(squeezed, "resourcegroup");
    if (squeezed.find("orderbyid") != std::string::npos)
        graph.by_id_descending =
            squeezed.find("orderbyiddesc") != std::string::npos;

    // No list means every subscription the caller can see.
    if (auto const* list = array_at(*body, "subscriptions"))
        for (auto const& item : *list)
            if (item.is_string())
                graph.subscriptions.push_back(lower(item.as_string()));

    auto const* options = body->if_contains("options");
    if (!options || !options->is_object())
        return graph;
    if (auto const* top = options->as_object().if_contains("$top")) {
        auto const n = top->to_number<long>(ec);
        if (ec || n < 1 || n > 1000)
            return problem("$top must be from 1 to 1000");
        graph.top = static_cast<std::size_t>(n);
    }
    if (auto const* token = options->as_object().if_contains("$skipToken")) {
        auto const offset = token->is_string()
                                ? parse_offset(token->as_string())
                                : std::nullopt;
        if (!offset)
            return problem("the $skipToken is not one this server gave");
        graph.offset = *offset;
    }
    return graph;
}

}

std::optional<std::string> Target::param(std::string_view name) const
{
    for (auto const& [key, value] : query)
        if (iequals(key, name))
            return value;
    return std::nullopt;
}

Checked<Estate> parse_estate(std::string const& text)
{
    boost::system::error_code ec;
    auto const value = json::parse(text, ec);
    if (ec)
        return problem("the estate is not JSON: " + ec.message());
    auto const* root = value.if_object();
    if (!root)
        return problem("the estate must be a JSON object");
    if (auto key =
            unknown_key(*root, {"tenantId", "credentials", "audiences",
                                "tokenLifetimeSeconds", "latencyMs", "pageSize",
                                "idleTimeoutSeconds", "subscriptions",
                                "locations", "resources", "faults"}))
        return problem("unknown estate key \"" + *key + "\"");

    Estate estate;
    auto tenant = text_at(*root, "tenantId", "the estate", true);
    if (!tenant)
        return tenant.error();
    estate.tenant_id = *tenant;

    auto credentials = parse_credentials(root->if_contains("credentials"));
    if (!credentials)
        return credentials.error();
    estate.credentials = std::move(*credentials);

    auto lifetime = integer_at(*root, "tokenLifetimeSeconds", "the estate",
                               3600, 1, 86'400);
    auto latency = integer_at(*root, "latencyMs", "the estate", 0, 0, 60'000);
    auto page = integer_at(*root, "pageSize", "the estate", 100, 1, 100'000);
    auto idle =
        integer_at(*root, "idleTimeoutSeconds", "the estate", 30, 1, 3600);
    for (auto const* number : {&lifetime, &latency, &page, &idle})
        if (!*number)
            return number->error();
    estate.token_lifetime_seconds = *lifetime;
    estate.latency_ms = *latency;
    estate.page_size = static_cast<std::size_t>(*page);
    estate.idle_timeout_seconds = *idle;

    auto audiences = parse_audiences(*root);
    auto subscriptions = parse_subscriptions(*root, estate.tenant_id);
    auto locations = parse_locations(*root);
    auto resources = parse_resources(*root);
    auto faults = parse_faults(*root);
    if (!audiences)
        return audiences.error();
    if (!subscriptions)
        return subscriptions.error();
    if (!locations)
        return locations.error();
    if (!resources)
        return resources.error();
    if (!faults)
        return faults.error();
    estate.audiences = std::move(*audiences);
    estate.subscriptions = std::move(*subscriptions);
    estate.locations = std::move(*locations);
    estate.resources = std::move(*resources);
    estate.faults = std::move(*faults);
    return estate;
}

Service::Service(Estate estate)
    : estate_(std::move(estate)), by_route_(route_names.size())
{
    for (std::size_t i = 0; i < estate_.resources.size(); ++i)
        by_key_.emplace(estate_.resources[i].key, i);
}

void Service::connection_opened(Port port)
{
    ++connections_;
    ++(port == Port::https ? https_connections_ : http_connections_);
}

void Service::request_started()
{
    ++in_flight_;
    peak_in_flight_ = std::max(peak_in_flight_, in_flight_);
}

Reply Service::handle(Incoming const& request)
{
    auto const target = parse_target(request.target);
    auto const route = classify(target);
    auto const line = line_of(request);
    ++requests_;
    ++by_method_[request.method];
    ++by_route_[static_cast<std::size_t>(route)];
    if (request.headers.contains("authorization"))
        ++with_authorization_;

    // The guard comes before any fault, so a write is refused and recorded
    // whatever a test injects.
    if (!allowed(request.method, route)) {
        if (violations_.size() < max_log_entries)
            violations_.push_back(line);
        auto reply =
            arm_error(405, "MethodNotAllowed",
                      "The fake Azure is read-only: " + request.method +
                          " is not allowed here.");
        reply.headers.emplace_back("Allow", "GET");
        reply.line = line;
        record(request, route, reply, nullptr);
        return reply;
    }

    auto* const fault = pick_fault(request);
    auto reply = fault ? apply(*fault, request, target, route)
                       : dispatch(request, target, route);
    reply.delay += std::chrono::milliseconds(estate_.latency_ms);
    reply.line = line;
    record(request, route, reply, fault);
    return reply;
}

bool Service::holds_secret(std::string_view text) const
{
    auto const& c = estate_.credentials;
    for (auto const* secret :
         {&c.client_secret, &c.federated_token, &c.identity_header})
        if (!secret->empty() && text.find(*secret) != std::string_view::npos)
            return true;
    for (auto const& [token, info] : tokens_)
        if (text.find(token) != std::string_view::npos)
            return true;
    return false;
}

std::string Service::line_of(Incoming const& request)
{
    if (holds_secret(request.target) ||
        holds_secret(percent_decode(request.target, true))) {
        ++secrets_in_targets_;
        return request.method + " [withheld: the target held a credential]";
    }
    return request.method + " " + request.target;
}

void Service::record(Incoming const& request, Route route, Reply const& reply,
                     Fault const* fault)
{
    int const status = reply.action == Action::respond ? reply.status : 0;
    ++by_status_[status];
    if (request_log_.size() >= max_log_entries) {
        ++log_dropped_;
        return;
    }
    request_log_.emplace_back(reply.line);
    json::object detail{
        {"request", reply.line},
        {"port", request.port == Port::https ? "https" : "http"},
        {"route", route_names[static_cast<std::size_t>(route)]},
        {"status", status},
        {"authorization", request.headers.contains("authorization")}};
    if (fault)
        detail["fault"] = name_of(fault->kind);
    request_details_.emplace_back(std::move(detail));
}

Fault* Service::pick_fault(Incoming const& request)
{
    auto const target = lower(request.target);
    for (auto& fault : estate_.faults) {
        if (fault.times && *fault.times == 0)
            continue;
        if (!fault.method.empty() && fault.method != request.method)
            continue;
        if (target.find(fault.match) != std::string::npos)
            return &fault;
    }
    return nullptr;
}

Reply Service::apply(Fault& fault, Incoming const& request,
                     Target const& target, Route route)
{
    ++fault.hits;
    ++faults_applied_;
    if (fault.times)
        --*fault.times;

    Reply reply;
    switch (fault.kind) {
    case FaultKind::status:
    case FaultKind::throttle: {
        int const status =
            fault.kind == FaultKind::throttle ? 429 : fault.status;
        auto const message = fault.message.empty()
                                 ? "Injected by the fake Azure."
                                 : fault.message;
        if (is_identity(route)) {
            auto const code = fault.code.empty()
                                  ? (status >= 500 ? "temporarily_unavailable"
                                                   : "invalid_request")
                                  : fault.code;
            reply = identity_error(status, code, message);
        } else {
            auto const code =
                fault.code.empty() ? usual_code(status) : fault.code;
            reply = arm_error(status, code, message);
        }
        auto const retry = fault.kind == FaultKind::throttle
                               ? fault.retry_after.value_or(1)
                               : fault.retry_after.value_or(-1);
        if (retry >= 0)
            reply.headers.emplace_back("Retry-After", std::to_string(retry));
        return reply;
    }
    case FaultKind::drop: reply.action = Action::drop; return reply;
    case FaultKind::truncate:
        reply = dispatch(request, target, route);
        reply.action = Action::truncate;
        return reply;
    case FaultKind::malformed:
        reply.body = "{\"value\": [{\"id\": \"/subscriptions/";
        return reply;
    case FaultKind::hang:
        reply.action = Action::hang;
        reply.hang = std::chrono::seconds(fault.seconds);
        return reply;
    case FaultKind::latency:
        reply = dispatch(request, target, route);
        reply.delay += std::chrono::milliseconds(fault.ms);
        return reply;
    }
    return reply;
}

std::optional<Reply> Service::check_port(Incoming const& request,
                                         Route route) const
{
    bool const wants_http = route == Route::msi || route == Route::imds;
    if (route == Route::other || wants_http == (request.port == Port::http))
        return std::nullopt;
    return arm_error(404, "NotFound",
                     wants_http ? "The managed identity endpoints are on the "
                                  "plain HTTP port."
                                : "Entra ID and ARM are on the HTTPS port.");
}

Reply Service::dispatch(Incoming const& request, Target const& target,
                        Route route)
{
    if (auto wrong = check_port(request, route))
        return *wrong;
    if (is_identity(route)) {
        auto reply = route == Route::token
                         ? token(request, target)
                         : managed_identity(request, target, route);
        if (reply.status != 200)
            ++token_refusals_;
        return reply;
    }
    switch (route) {
    case Route::other:
        return arm_error(404, "NotFound",
                         "The fake Azure serves nothing at this path.");
    default: return arm(request, target, route);
    }
}

Reply Service::token(Incoming const& request, Target const& target)
{
    if (request.method != "POST")
        return entra_error(405, "invalid_request", 900561,
                           "The endpoint only accepts POST requests.");

    // Entra reads nothing from a body of another type.
    auto const type = request.headers.find("content-type");
    bool const is_form =
        type != request.headers.end() &&
        lower(type->second).starts_with("application/x-www-form-urlencoded");
    auto const form = is_form ? parse_pairs(request.body) : Form{};

    auto const& tenant = target.raw_segments[0];
    if (!iequals(tenant, estate_.tenant_id))
        return entra_error(400, "invalid_request", 90002,
                           "Tenant '" + tenant + "' not found.");
    if (auto refused = check_grant(form, estate_.credentials))
        return *refused;
    if (auto refused = check_credential(form, estate_.credentials))
        return *refused;

    auto const scope = *field_of(form, "scope");
    auto const audience = scope.substr(0, scope.size() - 9); // "/.default"
    auto const token = issue_token(audience, *field_of(form, "client_id"));
    return json_reply(200, {{"token_type", "Bearer"},
                            {"expires_in", estate_.token_lifetime_seconds},
                            {"ext_expires_in", estate_.token_lifetime_seconds},
                            {"access_token", token}});
}

Reply Service::managed_identity(Incoming const& request, Target const& target,
                                Route route)
{
    if (request.method != "GET")
        return identity_error(405, "invalid_request",
                              "The endpoint only accepts GET requests.");

    // The metadata service refuses anything that came through a proxy.
    bool const imds = route == Route::imds;
    if (imds && request.headers.contains("x-forwarded-for"))
        return identity_error(400, "invalid_request",
                              "Requests through a proxy are not allowed.");
    if (imds) {
        auto const header = request.headers.find("metadata");
        if (header == request.headers.end() || !iequals(header->second, "true"))
            return identity_error(400, "invalid_request",
                                  "Required metadata header not specified");
    } else {
        auto const& expected = estate_.credentials.identity_header;
        auto const header = request.headers.find("x-identity-header");
        if (expected.empty())
            return identity_error(400, "invalid_request",
                                  "This estate has no App Service identity.");
        if (header == request.headers.end())
            return identity_error(400, "invalid_request",
                                  "The X-IDENTITY-HEADER header is missing.");
        if (header->second != expected)
            return identity_error(401, "invalid_client",
                                  "The X-IDENTITY-HEADER value is wrong.");
    }
    auto const version = target.param("api-version");
    if (!version)
        return identity_error(400, "invalid_request",
                              "Required query variable 'api-version' is "
                              "missing");
    if (!imds && *version != "2019-08-01")
        return identity_error(400, "invalid_request",
                              "The App Service identity endpoint takes "
                              "api-version 2019-08-01.");
    auto const resource = target.param("resource");
    if (!resource || resource->empty())
        return identity_error(400, "invalid_request",
                              "Required audience parameter not specified");

    auto const now = epoch_now();
    auto const lifetime = estate_.token_lifetime_seconds;
    auto const token = issue_token(*resource, "managed-identity");
    json::object body{{"access_token", token},
                      {"expires_on", std::to_string(now + lifetime)},
                      {"resource", *resource},
                      {"token_type", "Bearer"}};
    if (imds) {
        body["refresh_token"] = "";
        body["expires_in"] = std::to_string(lifetime);
        body["not_before"] = std::to_string(now);
    }
    return json_reply(200, body);
}

std::string Service::issue_token(std::string const& audience,
                                 std::string const& subject)
{
    // Shaped like the JWTs Entra issues, so a client that peeks at the
    // claims finds them; the signature is random and nothing checks it.
    auto const now = epoch_now();
    auto const lifetime = estate_.token_lifetime_seconds;
    json::object const claims{
        {"aud", audience},
        {"iss", "https://sts.windows.net/" + estate_.tenant_id + "/"},
        {"iat", now},
        {"nbf", now},
        {"exp", now + lifetime},
        {"tid", estate_.tenant_id},
        {"appid", subject},
        {"jti", random_text(12)}};
    auto const token = base64url(R"({"typ":"JWT","alg":"RS256"})") + "." +
                       base64url(json::serialize(claims)) + "." +
                       random_text(32);
    tokens_[token] = {std::chrono::steady_clock::now() +
                          std::chrono::seconds(lifetime),
                      normalize_audience(audience)};
    ++tokens_issued_;
    return token;
}

bool Service::accepts_audience(std::string const& audience) const
{
    return std::find(estate_.audiences.begin(), estate_.audiences.end(),
                     audience) != estate_.audiences.end();
}

std::optional<Reply> Service::check_bearer(Incoming const& request)
{
    auto refuse = [&](std::string_view code, std::string_view message) {
        ++unauthorized_;
        auto reply = arm_error(401, code, message);
        reply.headers.emplace_back(
            "WWW-Authenticate",
            "Bearer authorization_uri=\"https://127.0.0.1:" +
                std::to_string(https_port_) + "/" + estate_.tenant_id +
                "\", error=\"invalid_token\"");
        return reply;
    };

    auto const header = request.headers.find("authorization");
    if (header == request.headers.end())
        return refuse("InvalidAuthenticationToken",
                      "Authentication failed. The 'Authorization' header is "
                      "missing.");
    auto const& value = header->second;
    if (value.size() < 8 || !iequals(value.substr(0, 7), "bearer "))
        return refuse("InvalidAuthenticationToken",
                      "Authentication failed. The 'Authorization' header "
                      "must use the Bearer scheme.");
    auto const token = tokens_.find(trim(value.substr(7)));
    if (token == tokens_.end())
        return refuse("InvalidAuthenticationToken",
                      "The access token is invalid.");
    if (std::chrono::steady_clock::now() >= token->second.expires)
        return refuse("ExpiredAuthenticationToken",
                      "The access token expiry UTC time is earlier than "
                      "current UTC time.");
    if (!accepts_audience(token->second.audience))
        return refuse("InvalidAuthenticationTokenAudience",
                      "The access token has been obtained for wrong "
                      "audience or resource '" +
                          token->second.audience + "'.");
    return std::nullopt;
}

json::object const* Service::subscription(std::string const& id) const
{
    for (auto const& subscription : estate_.subscriptions) {
        auto const* value = subscription.if_contains("subscriptionId");
        if (value && value->is_string() && iequals(value->as_string(), id))
            return &subscription;
    }
    return nullptr;
}

Reply Service::arm(Incoming const& request, Target const& target, Route route)
{
    if (auto refused = check_bearer(request))
        return *refused;
    if (!target.param("api-version"))
        return arm_error(400, "MissingApiVersionParameter",
                         "The api-version query parameter (?api-version=) "
                         "is required for all requests.");
    if (route == Route::resource_graph) {
        if (request.method != "POST")
            return arm_error(405, "MethodNotAllowed",
                             "Resource Graph queries are POSTed.");
        return resource_graph(request);
    }
    return arm_get(target, route);
}

Reply Service::arm_get(Target const& target, Route route)
{
    auto const& s = target.segments;

    // Everything under a subscription needs the subscription.
    if (s[0] == "subscriptions") {
        if (s.size() == 1) {
            json::array all;
            for (auto const& subscription : estate_.subscriptions)
                all.push_back(subscription);
            return page(std::move(all), target);
        }
        auto const* found = subscription(s[1]);
        if (!found)
            return arm_error(404, "SubscriptionNotFound",
                             "The subscription '" + target.raw_segments[1] +
                                 "' could not be found.");
        if (s.size() == 2)
            return json_reply(200, *found);
        if (route == Route::locations) {
            auto const locations = estate_.locations.find(s[1]);
            return page(locations == estate_.locations.end()
                            ? json::array{}
                            : locations->second,
                        target);
        }
    }

    switch (route) {
    case Route::speech_list:
        return page(list_under(target, "microsoft.cognitiveservices/accounts"),
                    target);
    case Route::storage_list:
        return page(list_under(target, "microsoft.storage/storageaccounts"),
                    target);
    case Route::role_assignments: return role_assignments(target);
    default: break;
    }
    if (is_role_definition(target))
        return role_definition(target);
    if (auto const found = by_key_.find(target.key); found != by_key_.end())
        return json_reply(200, estate_.resources[found->second].body);

    // A collection: the resources one segment below the path.
    json::array children;
    for (auto const& resource : estate_.resources) {
        auto const slash = resource.key.rfind('/');
        if (resource.key.substr(0, slash) == target.key)
            children.push_back(resource.body);
    }
    if (!children.empty())
        return page(std::move(children), target);
    return not_found(target);
}

json::array Service::list_under(Target const& target,
                                std::string_view type) const
{
    // The path is the scope followed by providers/NAMESPACE/TYPE.
    auto const& s = target.segments;
    auto const scope = join(s, s.size() - 3) + "/";
    json::array items;
    for (auto const& resource : estate_.resources)
        if (resource.type_key == type && resource.key.starts_with(scope))
            items.push_back(resource.body);
    return items;
}

// Role definitions come with and without a subscription in their ID; the
// GUID names them.
Reply Service::role_definition(Target const& target) const
{
    auto const& guid = target.segments.back();
    for (auto const& resource : estate_.resources)
        if (resource.type_key == "microsoft.authorization/roledefinitions" &&
            resource.key.ends_with("/" + guid))
            return json_reply(200, resource.body);
    return arm_error(404, "RoleDefinitionDoesNotExist",
                     "The specified role definition with ID '" +
                         target.raw_segments.back() + "' does not exist.");
}

Reply Service::role_assignments(Target const& target)
{
    auto scope = target.segments;
    scope.resize(scope.size() - 3);

    AssignmentFilter filter;
    if (auto const text = target.param("$filter")) {
        auto parsed = parse_filter(*text);
        if (!parsed)
            return arm_error(400, "InvalidFilterInQueryString",
                             parsed.error().what);
        filter = *parsed;
    }

    json::array items;
    for (auto const& resource : estate_.resources) {
        if (resource.type_key != "microsoft.authorization/roleassignments")
            continue;
        if (filter.principal && principal_of(resource) != *filter.principal)
            continue;
        auto const assigned = scope_of(resource);
        bool const reaches = at_or_above(assigned, scope) ||
                             (!filter.at_scope_only && below(assigned, scope));
        if (reaches)
            items.push_back(resource.body);
    }
    return page(std::move(items), target);
}

Reply Service::page(json::array items, Target const& target) const
{
    std::size_t offset = 0;
    if (auto const token = target.param("$skipToken")) {
        auto const parsed = parse_offset(*token);
        if (!parsed || *parsed > items.size())
            return arm_error(400, "InvalidSkipToken",
                             "The $skipToken is not one this server gave.");
        offset = *parsed;
    }
    auto const end = std::min(items.size(), offset + estate_.page_size);

    json::array value;
    for (auto i = offset; i < end; ++i)
        value.push_back(std::move(items[i]));
    json::object body{{"value", std::move(value)}};
    if (end < items.size()) {
        // The same request with the next offset; everything but the old
        // token is kept as the client sent it.
        std::string query;
        for (auto const part : split(target.raw_query, '&')) {
            auto const name = part.substr(0, part.find('='));
            if (part.empty() ||
                iequals(percent_decode(name, true), "$skipToken"))
                continue;
            query += std::string(part) + "&";
        }
        body["nextLink"] = "https://127.0.0.1:" + std::to_string(https_port_) +
                           target.raw_path + "?" + query +
                           "$skipToken=" + std::to_string(end);
    }
    return json_reply(200, body);
}

Reply Service::resource_graph(Incoming const& request)
{
    auto query = parse_graph_query(request.body);
    if (!query)
        return arm_error(400, "BadRequest", query.error().what);

    std::vector<json::object> rows;
    for (auto const& resource : estate_.resources) {
        auto const id = std::string(resource.body.at("id").as_string());
        auto const subscription_id = subscription_in(id);
        if (!query->wants(resource, subscription_id))
            continue;
        auto row = resource.body;
        row["type"] = resource.type_key;
        row["subscriptionId"] = subscription_id;
        row["resourceGroup"] = resource_group_in(id);
        auto const* owner = subscription(subscription_id);
        if (owner && owner->contains("tenantId"))
            row["tenantId"] = owner->at("tenantId");
        rows.push_back(std::move(row));
    }

    if (auto const descending = query->by_id_descending)
        std::stable_sort(rows.begin(), rows.end(),
                         [&](json::object const& a, json::object const& b) {
                             auto const x = lower(a.at("id").as_string());
                             auto const y = lower(b.at("id").as_string());
                             return *descending ? y < x : x < y;
                         });

    auto const top =
        std::min(query->top.value_or(estate_.page_size), estate_.page_size);
    auto const begin = std::min(query->offset, rows.size());
    auto const end = std::min(rows.size(), begin + top);
    json::array data;
    for (auto i = begin; i < end; ++i)
        data.push_back(std::move(rows[i]));
    json::object out{{"totalRecords", rows.size()},
                     {"count", end - begin},
                     {"resultTruncated", "false"}};
    if (end < rows.size())
        out["$skipToken"] = std::to_string(end);
    out["data"] = std::move(data);
    out["facets"] = json::array{};
    return json_reply(200, out);
}

std::string Service::stats_text() const
{
    json::object by_method;
    for (auto const& [method, count] : by_method_)
        by_method[method] = count;
    json::object by_route;
    for (std::size_t i = 0; i < route_names.size(); ++i)
        by_route[route_names[i]] = by_route_[i];
    json::object by_status;
    for (auto const& [status, count] : by_status_)
        by_status[std::to_string(status)] = count;
    json::array fault_hits;
    for (auto const& fault : estate_.faults)
        fault_hits.push_back(fault.hits);
    json::array violations;
    for (auto const& line : violations_)
        violations.push_back(json::string(line));

    json::object stats{
        {"requests", requests_},
        {"byMethod", std::move(by_method)},
        {"byRoute", std::move(by_route)},
        {"byStatus", std::move(by_status)},
        {"inFlight", in_flight_},
        {"peakInFlight", peak_in_flight_},
        {"connections", connections_},
        {"connectionsByPort",
         {{"https", https_connections_}, {"http", http_connections_}}},
        {"tlsHandshakeFailures", tls_failures_},
        {"tokensIssued", tokens_issued_},
        {"tokenRefusals", token_refusals_},
        {"unauthorized", unauthorized_},
        {"faultsApplied", faults_applied_},
        {"faultHits", std::move(fault_hits)},
        {"withAuthorization", with_authorization_},
        {"withoutAuthorization", requests_ - with_authorization_},
        {"secretsInTargets", secrets_in_targets_},
        {"violations", std::move(violations)},
        {"requestLog", request_log_},
        {"requestDetails", request_details_},
        {"requestLogDropped", log_dropped_}};
    return json::serialize(stats);
}

}
