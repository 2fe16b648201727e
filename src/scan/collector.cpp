#include "scan/collector.hpp"

#include "model/arm_id.hpp"
#include "model/estate.hpp"
#include "util/strings.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <map>
#include <set>
#include <unordered_set>

namespace byos::scan {

namespace asio = boost::asio;
namespace bj = boost::json;
using asio::awaitable;

namespace {

// The api-versions the scanner reads with: stable versions that carry
// every property the rules check (see ../docs/snapshot-format.md).
constexpr char const* resources_api = "2022-12-01";
constexpr char const* cognitive_api = "2024-10-01";
constexpr char const* storage_api = "2023-05-01";
constexpr char const* authorization_api = "2022-04-01";
constexpr char const* features_api = "2021-07-01";
constexpr char const* graph_api = "2024-04-01";

std::string const no_scope;
std::string const no_principal;

// A listing that never ends is cut off here; its last page keeps its
// nextLink, so the audit reports the listing as incomplete.
constexpr std::size_t max_pages = 10'000;

// Tasks started together and awaited together. A task that throws (a
// broken invariant; failed requests are values) rethrows from wait().
class Group
{
public:
    explicit Group(asio::any_io_executor executor)
        : executor_(executor), done_(executor)
    {
    }

    void spawn(awaitable<void> task)
    {
        ++pending_;
        asio::co_spawn(executor_, std::move(task),
                       [this](std::exception_ptr error) {
                           if (error && !error_)
                               error_ = error;
                           if (--pending_ == 0)
                               done_.cancel();
                       });
    }

    awaitable<void> wait()
    {
        while (pending_ > 0) {
            done_.expires_at(asio::steady_timer::time_point::max());
            co_await done_.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        if (error_)
            std::rethrow_exception(error_);
    }

private:
    asio::any_io_executor executor_;
    asio::steady_timer done_;
    std::size_t pending_ = 0;
    std::exception_ptr error_;
};

std::string_view string_at(bj::object const& o, std::string_view key)
{
    auto const* v = o.if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string())
                               : std::string_view();
}

// ARM's error object when the body has one, else one made from what
// happened; it never holds a credential.
bj::object error_of(net::Response const& response)
{
    bj::error_code ec;
    auto body = bj::parse(response.body, ec);
    if (!ec && body.is_object())
        if (auto* error = body.get_object().if_contains("error");
            error && error->is_object() &&
            error->get_object().contains("code"))
            return std::move(error->get_object());
    if (response.status == 0)
        return {{"code", icontains(response.failure, "timed out")
                             ? "Timeout"
                             : "NoResponse"},
                {"message", response.failure}};
    return {{"code", "HttpError"},
            {"message", "HTTP " + std::to_string(response.status) +
                            " without an ARM error body"}};
}

class Collector
{
public:
    Collector(net::Client& client, ScanScope const& scope,
              ScanSettings const& settings, asio::any_io_executor executor)
        : client_(client), scope_(scope), settings_(settings),
          executor_(executor), tasks_(executor)
    {
        for (auto const* name :
             {"subscriptions", "locations", "features", "speechAccounts",
              "storageAccounts", "blobServices", "roleAssignments",
              "roleDefinitions"})
            collections_[name] = bj::array();
        if (auto arm = net::parse_url(settings.arm_endpoint))
            arm_origin_ = arm->origin();
    }

    awaitable<bj::object> run()
    {
        graph_ = scope_.resource_graph || !scope_.management_groups.empty() ||
                 scope_.subscriptions.size() > resource_graph_threshold;
        bool const graph = graph_;
        if (!scope_.management_groups.empty()) {
            tasks_.spawn(graph_speech({}, scope_.management_groups));
        } else {
            auto subscriptions = co_await list_subscriptions();
            if (graph && !subscriptions.empty())
                tasks_.spawn(graph_speech(subscriptions, {}));
            for (auto const& sub : subscriptions) {
                tasks_.spawn(locations(sub));
                if (graph)
                    continue;
                if (scope_.resource_groups.empty())
                    tasks_.spawn(speech_accounts(sub, ""));
                for (auto const& group : scope_.resource_groups)
                    tasks_.spawn(speech_accounts(sub, group));
            }
        }
        co_await tasks_.wait();
        co_return snapshot();
    }

private:
    bj::array& collection(char const* name)
    {
        return collections_.at(name).as_array();
    }

    void note_response()
    {
        ++responses_;
        if (settings_.progress)
            settings_.progress(responses_, subscriptions_seen_.size());
    }

    // One GET, or a listing with all its pages, as a snapshot entry.
    // Arguments by reference: g++ 12 destroys a temporary argument of a
    // co_await expression twice, so callers pass named values.
    awaitable<bj::object> fetch(std::string const& scope,
                                std::string const& path, bool paged,
                                std::string const& principal = no_principal)
    {
        bj::object entry;
        if (!scope.empty())
            entry["scope"] = scope;
        entry["request"] = path;
        if (!principal.empty())
            entry["principalId"] = principal;
        auto url = net::join(settings_.arm_endpoint, path);
        if (!url) {
            entry["status"] = 0;
            entry["error"] = {{"code", "BadRequest"},
                              {"message", url.error().message}};
            co_return entry;
        }

        bj::array pages;
        for (std::size_t n = 0;; ++n) {
            auto const request = net::Request::arm_get(*url);
            auto response = co_await client_.send(request);
            note_response();
            bj::error_code ec;
            auto body = response.status >= 200 && response.status < 300
                            ? bj::parse(response.body, ec)
                            : bj::value();
            bool const ok = response.status >= 200 && response.status < 300 &&
                            !ec && body.is_object();
            if (!ok) {
                // The pages already read are kept: the last one's nextLink
                // marks the listing as cut short.
                if (!pages.empty())
                    break;
                if (response.status >= 200 && response.status < 300) {
                    entry["status"] = 0;
                    entry["error"] = {
                        {"code", "MalformedResponse"},
                        {"message", "HTTP " + std::to_string(response.status) +
                                        " with a body that is not a JSON "
                                        "object"}};
                } else {
                    entry["status"] = response.status;
                    entry["error"] = error_of(response);
                }
                co_return entry;
            }
            if (!paged) {
                entry["status"] = response.status;
                entry["body"] = std::move(body);
                co_return entry;
            }

            auto const next =
                std::string(string_at(body.get_object(), "nextLink"));
            pages.push_back(std::move(body));
            if (next.empty() || n + 1 >= max_pages)
                break;
            // The token goes to the ARM endpoint and nowhere else.
            auto next_url = net::parse_url(next);
            if (!next_url || next_url->origin() != arm_origin_)
                break;
            url = std::move(next_url);
        }
        entry["status"] = 200;
        entry["pages"] = std::move(pages);
        co_return entry;
    }

    static std::vector<bj::object const*> items(bj::object const& entry)
    {
        std::vector<bj::object const*> out;
        auto const add_list = [&](bj::value const* list) {
            if (list && list->is_array())
                for (auto const& item : list->get_array())
                    if (item.is_object())
                        out.push_back(&item.get_object());
        };
        if (auto const* pages = entry.if_contains("pages");
            pages && pages->is_array())
            for (auto const& page : pages->get_array())
                if (page.is_object()) {
                    add_list(page.get_object().if_contains("value"));
                    add_list(page.get_object().if_contains("data"));
                }
        if (auto const* body = entry.if_contains("body"); body && body->is_object())
            out.push_back(&body->get_object());
        return out;
    }

    awaitable<std::vector<std::string>> list_subscriptions()
    {
        std::vector<std::string> found;
        if (scope_.subscriptions.empty()) {
            auto const path =
                std::string("/subscriptions?api-version=") + resources_api;
            auto entry = co_await fetch(no_scope, path, true);
            for (auto const* sub : items(entry)) {
                auto const state = string_at(*sub, "state");
                auto const id = string_at(*sub, "subscriptionId");
                if (!id.empty() && !iequals(state, "Disabled") &&
                    !iequals(state, "Deleted"))
                    found.emplace_back(id);
            }
            collection("subscriptions").push_back(std::move(entry));
        } else {
            Group group(executor_);
            for (auto const& sub : scope_.subscriptions)
                group.spawn(subscription(sub));
            co_await group.wait();
            found = scope_.subscriptions;
        }
        for (auto const& sub : found)
            subscriptions_seen_.insert(to_lower(sub));
        co_return found;
    }

    awaitable<void> subscription(std::string sub)
    {
        auto const scope = "/subscriptions/" + sub;
        auto const path = scope + "?api-version=" + resources_api;
        auto entry = co_await fetch(scope, path, false);
        collection("subscriptions").push_back(std::move(entry));
    }

    awaitable<void> locations(std::string sub)
    {
        auto const scope = "/subscriptions/" + sub;
        auto const path = scope + "/locations?api-version=" + resources_api;
        auto entry = co_await fetch(scope, path, true);
        collection("locations").push_back(std::move(entry));
    }

    // The Speech accounts of a subscription, or of one of its resource
    // groups when `group` is not empty.
    awaitable<void> speech_accounts(std::string sub, std::string group)
    {
        auto scope = "/subscriptions/" + sub;
        if (!group.empty())
            scope += "/resourceGroups/" + group;
        auto const path = scope +
                          "/providers/Microsoft.CognitiveServices/accounts"
                          "?api-version=" +
                          cognitive_api;
        auto entry = co_await fetch(scope, path, true);
        follow_speech(entry);
        collection("speechAccounts").push_back(std::move(entry));
    }

    // What each BYOS Speech account leads to: its storage account, the
    // role assignments of its identity there, its subscription's feature.
    void follow_speech(bj::object const& entry)
    {
        for (auto const* account : items(entry)) {
            if (!iequals(string_at(*account, "kind"), "SpeechServices"))
                continue;
            model::Resource speech;
            speech.json = account;
            auto const id = std::string(string_at(*account, "id"));
            auto const sub = model::subscription_of(id);
            if (!sub.empty() && features_seen_.insert(sub).second) {
                tasks_.spawn(feature(sub));
                if (subscriptions_seen_.insert(sub).second) {
                    // Found through Resource Graph or a management group:
                    // its tenant and regions are still to read.
                    tasks_.spawn(subscription(sub));
                    tasks_.spawn(locations(sub));
                }
            }
            for (auto const& owned : model::user_owned_storage(speech)) {
                auto const principal =
                    model::storage_principal(speech, owned.identity_client_id);
                storage(owned.resource_id, principal);
            }
        }
    }

    void storage(std::string const& id, std::string const& principal)
    {
        auto const key = model::id_key(id);
        if (graph_) {
            // Listed per subscription once the Speech listing is done.
            if (!principal.empty())
                storage_principals_[key].insert(principal);
            graph_storage_[model::subscription_of(id)].emplace(key, id);
            return;
        }
        auto& principals = storage_principals_[key];
        bool const first = principals.empty() && !storage_started_.count(key);
        if (!principal.empty())
            principals.insert(principal);
        if (first) {
            storage_started_.insert(key);
            tasks_.spawn(storage_account(id));
        } else if (storage_read_.count(key) && !principal.empty() &&
                   role_started_.insert(key + "\n" + principal).second) {
            tasks_.spawn(role_assignments(id, principal));
        }
    }

    awaitable<void> storage_account(std::string id)
    {
        auto const path = id + "?api-version=" + storage_api;
        auto entry = co_await fetch(id, path, false);
        bool const found = entry.at("status").as_int64() == 200;
        collection("storageAccounts").push_back(std::move(entry));
        if (!found)
            co_return;

        auto const key = model::id_key(id);
        storage_read_.insert(key);
        tasks_.spawn(blob_service(id));
        for (auto const& principal : storage_principals_[key])
            if (role_started_.insert(key + "\n" + principal).second)
                tasks_.spawn(role_assignments(id, principal));
    }

    awaitable<void> blob_service(std::string id)
    {
        auto const path =
            id + "/blobServices/default?api-version=" + storage_api;
        auto entry = co_await fetch(id, path, false);
        collection("blobServices").push_back(std::move(entry));
    }

    awaitable<void> role_assignments(std::string id, std::string principal)
    {
        auto const path =
            id + "/providers/Microsoft.Authorization/roleAssignments"
                 "?api-version=" +
            authorization_api + "&$filter=" +
            net::url_encode("principalId eq '" + principal + "'");
        auto entry = co_await fetch(id, path, true, principal);
        for (auto const* assignment : items(entry)) {
            auto const* properties = assignment->if_contains("properties");
            if (!properties || !properties->is_object())
                continue;
            auto const role = std::string(
                string_at(properties->get_object(), "roleDefinitionId"));
            auto const guid = to_lower(model::last_segment(role));
            if (!role.empty() && definitions_seen_.insert(guid).second)
                tasks_.spawn(role_definition(role));
        }
        collection("roleAssignments").push_back(std::move(entry));
    }

    awaitable<void> role_definition(std::string id)
    {
        auto const path = id + "?api-version=" + authorization_api;
        auto entry = co_await fetch(id, path, false);
        collection("roleDefinitions").push_back(std::move(entry));
    }

    awaitable<void> feature(std::string sub)
    {
        auto const scope = "/subscriptions/" + sub;
        auto const path = scope +
                          "/providers/Microsoft.Features/providers/"
                          "Microsoft.CognitiveServices/features/byoxPreview"
                          "?api-version=" +
                          features_api;
        auto entry = co_await fetch(scope, path, false, no_principal);
        collection("features").push_back(std::move(entry));
    }

    // Speech accounts of the whole scope through Resource Graph, paged by
    // its skip token. The entry's scope is the management group, the one
    // subscription, or "/" for a query over several.
    awaitable<void> graph_speech(std::vector<std::string> subscriptions,
                                 std::vector<std::string> groups)
    {
        std::string query = "resources | where type =~ "
                            "'microsoft.cognitiveservices/accounts' and kind "
                            "=~ 'SpeechServices'";
        // Group names hold no quote: the command line refuses them.
        if (!scope_.resource_groups.empty()) {
            query += " and resourceGroup in~ (";
            for (std::size_t i = 0; i < scope_.resource_groups.size(); ++i)
                query += (i ? ", '" : "'") + scope_.resource_groups[i] + "'";
            query += ")";
        }
        query += " | order by id asc";

        bj::object request{{"query", query}};
        std::string scope = "/";
        if (!groups.empty()) {
            bj::array names;
            for (auto const& g : groups)
                names.emplace_back(g);
            request["managementGroups"] = std::move(names);
            scope = "/providers/Microsoft.Management/managementGroups/" +
                    groups.front();
        } else {
            bj::array subs;
            for (auto const& s : subscriptions)
                subs.emplace_back(s);
            request["subscriptions"] = std::move(subs);
            if (subscriptions.size() == 1)
                scope = "/subscriptions/" + subscriptions.front();
        }
        auto entry = co_await graph(scope, request);
        follow_speech(entry);
        collection("speechAccounts").push_back(std::move(entry));
        for (auto const& [sub, linked] : graph_storage_)
            tasks_.spawn(graph_storage(sub));
    }

    // The storage accounts of one subscription that holds linked ones,
    // through Resource Graph. The listing covers the whole subscription,
    // so a linked account missing from it does not exist (BYOS003). When
    // the query fails, each linked account is read from ARM by its ID.
    awaitable<void> graph_storage(std::string sub)
    {
        bj::object request{
            {"subscriptions", bj::array{bj::value(sub)}},
            {"query", "resources | where type =~ "
                      "'microsoft.storage/storageaccounts' | order by id asc"}};
        auto const scope = "/subscriptions/" + sub;
        auto entry = co_await graph(scope, request);
        auto const& linked = graph_storage_[sub];
        if (entry.at("status").as_int64() != 200) {
            collection("storageAccounts").push_back(std::move(entry));
            for (auto const& [key, id] : linked) {
                storage_started_.insert(key);
                tasks_.spawn(storage_account(id));
            }
            co_return;
        }
        for (auto const* account : items(entry)) {
            auto const id = std::string(string_at(*account, "id"));
            auto const key = model::id_key(id);
            if (!linked.count(key) || !storage_read_.insert(key).second)
                continue;
            tasks_.spawn(blob_service(id));
            for (auto const& principal : storage_principals_[key])
                if (role_started_.insert(key + "\n" + principal).second)
                    tasks_.spawn(role_assignments(id, principal));
        }
        collection("storageAccounts").push_back(std::move(entry));
    }

    awaitable<bj::object> graph(std::string const& scope,
                                bj::object& request)
    {
        auto const path = std::string("/providers/Microsoft.ResourceGraph/"
                                      "resources?api-version=") +
                          graph_api;
        bj::object entry{{"scope", scope}, {"request", "POST " + path}};
        auto url = net::join(settings_.arm_endpoint, path);
        bj::array pages;
        std::string skip;
        for (std::size_t n = 0; n < max_pages; ++n) {
            bj::object options{{"$top", 1000}};
            if (!skip.empty())
                options["$skipToken"] = skip;
            request["options"] = std::move(options);
            auto post = url ? net::Request::graph_query(
                                  *url, bj::serialize(request))
                            : Result<net::Request>(url.error());
            if (!post) {
                entry["status"] = 0;
                entry["error"] = {{"code", "BadRequest"},
                                  {"message", post.error().message}};
                co_return entry;
            }
            auto response = co_await client_.send(*post);
            note_response();
            bj::error_code ec;
            auto body = response.status == 200 ? bj::parse(response.body, ec)
                                               : bj::value();
            if (response.status != 200 || ec || !body.is_object()) {
                if (!pages.empty()) {
                    // Mark the listing as cut short, as a nextLink would.
                    pages.back().as_object()["nextLink"] = "(not read)";
                    break;
                }
                entry["status"] = response.status == 200 ? 0 : response.status;
                entry["error"] = response.status == 200
                                     ? bj::object{{"code", "MalformedResponse"},
                                                  {"message",
                                                   "a Resource Graph page "
                                                   "that is not a JSON "
                                                   "object"}}
                                     : error_of(response);
                co_return entry;
            }
            skip = std::string(string_at(body.get_object(), "$skipToken"));
            // Resource Graph pages carry a skip token, not a nextLink; the
            // snapshot keeps them verbatim.
            pages.push_back(std::move(body));
            if (skip.empty())
                break;
        }
        entry["status"] = 200;
        entry["pages"] = std::move(pages);
        co_return entry;
    }

    bj::object snapshot()
    {
        bj::array subs;
        for (auto const& s : scope_.subscriptions)
            subs.emplace_back(s);
        bj::object scope{{"subscriptions", std::move(subs)}};
        if (!scope_.resource_groups.empty()) {
            bj::array groups;
            for (auto const& g : scope_.resource_groups)
                groups.emplace_back(g);
            scope["resourceGroups"] = std::move(groups);
        }
        return {
            {"snapshotFormat", "byos-audit/1"},
            {"tool", {{"name", "byos-audit"}, {"version", BYOS_AUDIT_VERSION}}},
            {"collectedAt", settings_.collected_at},
            {"cloud", settings_.cloud},
            {"scope", std::move(scope)},
            {"collections", std::move(collections_)},
        };
    }

    net::Client& client_;
    ScanScope const& scope_;
    ScanSettings const& settings_;
    asio::any_io_executor executor_;
    Group tasks_;
    bj::object collections_;
    std::string arm_origin_;
    std::size_t responses_ = 0;
    std::set<std::string> subscriptions_seen_;
    std::unordered_set<std::string> features_seen_;
    std::unordered_set<std::string> definitions_seen_;
    std::unordered_set<std::string> storage_started_;
    std::unordered_set<std::string> storage_read_;
    std::unordered_set<std::string> role_started_;
    std::map<std::string, std::set<std::string>> storage_principals_;
    bool graph_ = false;
    // Resource Graph mode: linked storage accounts by subscription, key to
    // ID as written.
    std::map<std::string, std::map<std::string, std::string>> graph_storage_;
};

}

awaitable<bj::object> collect(net::Client& client, ScanScope const& scope,
                              ScanSettings const& settings)
{
    auto executor = co_await asio::this_coro::executor;
    Collector collector(client, scope, settings, executor);
    co_return co_await collector.run();
}

}
