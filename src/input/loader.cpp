#include "input/loader.hpp"

#include "input/normalize.hpp"
#include "json/document.hpp"
#include "json/source_index.hpp"
#include "model/arm_id.hpp"
#include "util/files.hpp"
#include "util/names.hpp"
#include "util/strings.hpp"

#include <array>
#include <optional>

namespace byos::input {

namespace {

namespace bj = boost::json;
using model::Gap;
using model::Resource;

enum class Kind
{
    speech_accounts,
    storage_accounts,
    blob_services,
    role_assignments,
    role_definitions,
    subscriptions,
    features,
    locations,
};

// The collection names of the snapshot, also accepted as KIND= prefixes.
constexpr std::array<NameRow<Kind>, 8> kinds = {{
    {"speechAccounts", Kind::speech_accounts},
    {"storageAccounts", Kind::storage_accounts},
    {"blobServices", Kind::blob_services},
    {"roleAssignments", Kind::role_assignments},
    {"roleDefinitions", Kind::role_definitions},
    {"subscriptions", Kind::subscriptions},
    {"features", Kind::features},
    {"locations", Kind::locations},
}};

std::optional<Kind> kind_named(std::string_view name)
{
    return find_by_name(kinds, name);
}

std::string_view name_of(Kind kind)
{
    return name_in(kinds, kind);
}

// What an item in a file turned out to be.
enum class ItemKind
{
    speech,
    other_cognitive_account,
    storage,
    blob_service,
    role_assignment,
    role_definition,
    subscription,
    feature,
    location,
    unrelated,
};

std::string_view str(bj::object const& object, std::string_view key)
{
    auto const* value = object.if_contains(key);
    return value && value->is_string() ? std::string_view(value->get_string())
                                       : std::string_view();
}

bj::object const* obj(bj::object const& object, std::string_view key)
{
    auto const* value = object.if_contains(key);
    return value && value->is_object() ? &value->get_object() : nullptr;
}

// A field read from `properties` or, in az's flattened output, from the
// top level.
std::string_view prop_or_top(bj::object const& object, std::string_view key)
{
    if (auto const* props = obj(object, "properties")) {
        auto const value = str(*props, key);
        if (!value.empty())
            return value;
    }
    return str(object, key);
}

ItemKind classify(bj::object const& item)
{
    auto const type = to_lower(str(item, "type"));
    if (type == "microsoft.cognitiveservices/accounts")
        return iequals(str(item, "kind"), "SpeechServices")
                   ? ItemKind::speech
                   : ItemKind::other_cognitive_account;
    if (type == "microsoft.storage/storageaccounts")
        return ItemKind::storage;
    if (type == "microsoft.storage/storageaccounts/blobservices")
        return ItemKind::blob_service;
    if (type == "microsoft.authorization/roleassignments")
        return ItemKind::role_assignment;
    if (type == "microsoft.authorization/roledefinitions")
        return ItemKind::role_definition;
    if (type == "microsoft.features/providers/features" ||
        type == "microsoft.features/featureproviders/"
                "subscriptionfeatureregistrations")
        return ItemKind::feature;
    if (type == "region" || type == "edgezone")
        return ItemKind::location;
    if (type.empty() && item.contains("tenantId") &&
        (item.contains("subscriptionId") || item.contains("isDefault") ||
         item.contains("homeTenantId")))
        return ItemKind::subscription;
    return ItemKind::unrelated;
}

bool matches(ItemKind item, Kind kind)
{
    switch (kind) {
    case Kind::speech_accounts:
        return item == ItemKind::speech ||
               item == ItemKind::other_cognitive_account;
    case Kind::storage_accounts: return item == ItemKind::storage;
    case Kind::blob_services: return item == ItemKind::blob_service;
    case Kind::role_assignments: return item == ItemKind::role_assignment;
    case Kind::role_definitions: return item == ItemKind::role_definition;
    case Kind::subscriptions: return item == ItemKind::subscription;
    case Kind::features: return item == ItemKind::feature;
    case Kind::locations: return item == ItemKind::location;
    }
    return false;
}

// The last path segment of a role definition ID, which is its GUID.
std::string role_guid(std::string_view role_definition_id)
{
    return to_lower(model::last_segment(role_definition_id));
}

class Loader
{
public:
    Loader(model::Estate& estate, std::string path, std::string_view text,
           std::optional<Kind> declared, std::vector<std::string>& warnings)
        : estate_(estate), path_(std::move(path)), text_(text),
          declared_(declared), warnings_(warnings)
    {
        file_ = static_cast<std::uint32_t>(estate_.files.size());
        estate_.files.push_back(path_);
    }

    Status load(bj::value const& root)
    {
        if (auto const* object = root.if_object();
            object && object->contains("snapshotFormat")) {
            if (declared_)
                return fail("", "a snapshot needs no KIND= prefix");
            if (auto error = load_snapshot(*object))
                return error;
        } else if (auto error = load_loose(root)) {
            return error;
        }
        place_sources();
        return std::nullopt;
    }

private:
    // ---- errors and positions ----

    Error fail(std::string const& pointer, std::string message) const
    {
        std::string where;
        auto const at = json::locate(text_, {pointer}).front();
        if (at.line)
            where = "line " + std::to_string(at.line) + ", column " +
                    std::to_string(at.column);
        if (!pointer.empty())
            where += (where.empty() ? "" : " ") + ("(at " + pointer + ")");
        return Error{path_, where, std::move(message)};
    }

    model::Source source_for(std::string const& pointer,
                             model::Source* slot)
    {
        pending_.emplace_back(pointer, slot);
        return model::Source{file_, {}};
    }

    // One pass over the text gives every pending resource its position.
    void place_sources()
    {
        std::vector<std::string> pointers;
        pointers.reserve(pending_.size());
        for (auto const& [pointer, slot] : pending_)
            pointers.push_back(pointer);
        auto const found = json::locate(text_, pointers);
        for (std::size_t i = 0; i < pending_.size(); ++i)
            pending_[i].second->at = found[i];
        pending_.clear();
    }

    // ---- loose input: az, ARM and Resource Graph output ----

    Status load_loose(bj::value const& root)
    {
        std::string pointer;
        bj::value const* list = &root;
        if (auto const* object = root.if_object(); object &&
                                                   is_partial_page(*object)) {
            partial_ = true;
            warnings_.push_back(
                path_ + ": one page of a longer list (it has a nextLink or "
                        "skip token); the later pages are not in the input");
        }
        if (auto const* object = root.if_object()) {
            if (auto const* data = object->if_contains("data");
                data && data->is_array()) {
                list = data;
                pointer = "/data";
            } else if (auto const* value = object->if_contains("value");
                       value && value->is_array()) {
                list = value;
                pointer = "/value";
            }
        }

        std::size_t loaded = 0;
        if (list->is_array()) {
            auto const& items = list->get_array();
            for (std::size_t i = 0; i < items.size(); ++i) {
                auto item_pointer = pointer;
                json::append_pointer_index(item_pointer, i);
                auto result = load_item(items[i], item_pointer);
                if (!result)
                    return result.error();
                loaded += *result;
            }
            if (items.empty())
                return empty_list();
        } else if (list->is_object()) {
            auto result = load_item(*list, "");
            if (!result)
                return result.error();
            loaded = *result;
        } else {
            return fail("", "expected a JSON object or array, found " +
                                std::string(kind_of(*list)));
        }

        if (loaded == 0)
            return fail(pointer,
                        "holds no Azure data that byos-audit reads (Speech "
                        "or storage accounts, blob services, role "
                        "assignments or definitions, subscriptions, "
                        "features, locations, or a snapshot)");
        return std::nullopt;
    }

    Status empty_list()
    {
        if (!declared_) {
            warnings_.push_back(
                path_ + ": an empty list; its kind cannot be told, so it "
                        "proves nothing (prefix the path with KIND=, e.g. "
                        "roleAssignments=" + path_ + ")");
            return std::nullopt;
        }
        if (*declared_ == Kind::role_assignments)
            estate_.role_assignments_given = true;
        return std::nullopt;
    }

    static bool is_partial_page(bj::object const& page)
    {
        for (auto const* key : {"nextLink", "skip_token", "$skipToken"}) {
            auto const* v = page.if_contains(key);
            if (v && v->is_string() && !v->get_string().empty())
                return true;
        }
        return false;
    }

    // `az resource list` prints resources with "properties": null. Without
    // them nothing can be checked, and defaults must not pass for data, so
    // the resource is recorded as not read.
    bool lacks_properties(bj::object const& item, std::string const& id,
                          std::string const& pointer, char const* what)
    {
        auto const* props = item.if_contains("properties");
        if (props && props->is_object())
            return false;
        model::Gap gap{what, id, 0, "PropertiesMissing",
                       "the input lists it without its properties (az "
                       "resource list leaves them out; use the show or "
                       "list command of its service)",
                       {}};
        gap.source = source_for(pointer, &gap.source);
        if (std::string_view(what) == "storage account")
            keep_gap(estate_.storage_gaps[model::id_key(id)] =
                         std::move(gap));
        else
            keep_gap(estate_.scope_gaps.emplace_back(std::move(gap)));
        return true;
    }

    static char const* kind_of(bj::value const& value)
    {
        switch (value.kind()) {
        case bj::kind::null: return "null";
        case bj::kind::bool_: return "a boolean";
        case bj::kind::int64:
        case bj::kind::uint64:
        case bj::kind::double_: return "a number";
        case bj::kind::string: return "a string";
        case bj::kind::array: return "an array";
        case bj::kind::object: return "an object";
        }
        return "a value";
    }

    // Loads one item; the result is 1 when it was data byos-audit reads
    // and 0 when it was something else (a virtual machine in an
    // `az resource list`).
    Result<std::size_t> load_item(bj::value const& value,
                                  std::string const& pointer)
    {
        if (!value.is_object())
            return fail(pointer, "expected an object, found " +
                                     std::string(kind_of(value)));
        auto const& item = value.get_object();
        auto const kind = classify(item);

        if (declared_ && !matches(kind, *declared_))
            return fail(pointer, "is not one of the " +
                                     std::string(name_of(*declared_)) +
                                     " the KIND= prefix promised");

        Status error;
        switch (kind) {
        case ItemKind::speech: error = add_speech(value, pointer); break;
        case ItemKind::storage: error = add_storage(value, pointer); break;
        case ItemKind::blob_service:
            error = add_blob_service(value, pointer);
            break;
        case ItemKind::role_assignment:
            error = add_role_assignment(item, pointer);
            // A partial page cannot stand for all assignments.
            estate_.role_assignments_given |=
                origin_scope_.empty() && !partial_;
            break;
        case ItemKind::role_definition:
            error = add_role_definition(item, pointer);
            break;
        case ItemKind::subscription:
            error = add_subscription(item, pointer);
            break;
        case ItemKind::feature: error = add_feature(item, pointer); break;
        case ItemKind::location: add_location(item); break;
        case ItemKind::other_cognitive_account: return std::size_t{1};
        case ItemKind::unrelated: return std::size_t{0};
        }
        if (error)
            return *error;
        return std::size_t{1};
    }

    Result<std::string> required_id(bj::object const& item,
                                    std::string const& pointer)
    {
        auto const* id = item.if_contains("id");
        if (!id || !id->is_string() || id->get_string().empty())
            return fail(pointer + "/id", "expected the resource ID as a "
                                         "non-empty string");
        return std::string(id->get_string());
    }

    // Adds a resource to one of the estate's collections; the first of
    // several copies of one ID wins.
    Result<Resource*> add_resource(
        std::deque<Resource>& list,
        std::unordered_map<std::string, Resource*>& index,
        std::string const& index_key, bj::value const& value,
        std::string const& pointer)
    {
        auto const& item = value.get_object();
        auto id = required_id(item, pointer);
        if (!id)
            return id.error();
        if (index.count(index_key))
            return static_cast<Resource*>(nullptr);

        auto& resource = list.emplace_back();
        resource.value = &value;
        resource.json = &item;
        resource.id = std::move(*id);
        resource.key = model::id_key(resource.id);
        resource.source = source_for(pointer, &resource.source);
        index.emplace(index_key, &resource);
        return &resource;
    }

    Status add_speech(bj::value const& value, std::string const& pointer)
    {
        auto const& item = value.get_object();
        auto id = required_id(item, pointer);
        if (!id)
            return id.error();
        if (lacks_properties(item, *id, pointer, "Speech account"))
            return std::nullopt;
        auto added = add_resource(estate_.speech_accounts,
                                  estate_.speech_by_key,
                                  model::id_key(*id), value, pointer);
        if (!added)
            return added.error();
        return check_object(item, "properties", pointer);
    }

    Status check_object(bj::object const& item, std::string_view key,
                        std::string const& pointer)
    {
        auto const* value = item.if_contains(key);
        if (value && !value->is_object() && !value->is_null())
            return fail(pointer + "/" + std::string(key),
                        "expected an object, found " +
                            std::string(kind_of(*value)));
        return std::nullopt;
    }

    bj::value const& keep(bj::value normalized)
    {
        return estate_.documents.emplace_back(std::move(normalized));
    }

    Status add_storage(bj::value const& raw, std::string const& pointer)
    {
        auto const* value = &raw;
        if (auto normalized = normalize_storage_account(raw.get_object()))
            value = &keep(std::move(*normalized));
        auto const* item = &value->get_object();
        auto id = required_id(*item, pointer);
        if (!id)
            return id.error();
        if (lacks_properties(*item, *id, pointer, "storage account"))
            return std::nullopt;
        auto added = add_resource(estate_.storage_accounts,
                                  estate_.storage_by_key,
                                  model::id_key(*id), *value, pointer);
        if (!added)
            return added.error();
        if (auto error = check_object(*item, "properties", pointer))
            return error;
        if (auto const* props = obj(*item, "properties"))
            return check_object(*props, "networkAcls",
                                pointer + "/properties");
        return std::nullopt;
    }

    Status add_blob_service(bj::value const& raw,
                            std::string const& pointer)
    {
        auto const* value = &raw;
        if (auto normalized = normalize_blob_service(raw.get_object()))
            value = &keep(std::move(*normalized));
        auto const* item = &value->get_object();
        auto id = required_id(*item, pointer);
        if (!id)
            return id.error();
        auto const storage = model::parent_of_blob_service(*id);
        if (storage.empty())
            return fail(pointer + "/id",
                        "expected the ID of a blob service, ending in "
                        "/blobServices/default");
        auto added = add_resource(estate_.blob_services,
                                  estate_.blob_by_storage, storage, *value,
                                  pointer);
        if (!added)
            return added.error();
        return check_object(*item, "properties", pointer);
    }

    Status add_role_assignment(bj::object const& item,
                               std::string const& pointer)
    {
        auto const principal = prop_or_top(item, "principalId");
        auto const role = prop_or_top(item, "roleDefinitionId");
        if (principal.empty())
            return fail(pointer, "a role assignment without principalId");
        if (role.empty())
            return fail(pointer,
                        "a role assignment without roleDefinitionId");

        // The scope is a property; older outputs only have it in the ID,
        // which is "{scope}/providers/Microsoft.Authorization/...".
        std::string scope(prop_or_top(item, "scope"));
        if (scope.empty()) {
            auto const id = str(item, "id");
            auto const at = to_lower(id).find(
                "/providers/microsoft.authorization/roleassignments/");
            if (at == std::string::npos)
                return fail(pointer, "a role assignment without scope");
            scope = at == 0 ? "/" : std::string(id.substr(0, at));
        }

        auto const* props = obj(item, "properties");
        auto const* condition = props ? props->if_contains("condition")
                                      : item.if_contains("condition");

        model::RoleAssignment assignment;
        assignment.principal_key = to_lower(principal);
        assignment.role_guid = role_guid(role);
        assignment.scope = std::move(scope);
        assignment.origin_scope = origin_scope_;
        assignment.has_condition =
            condition && condition->is_string() &&
            !condition->get_string().empty();

        auto const index = estate_.role_assignments.size();
        estate_.assignments_by_principal[assignment.principal_key]
            .push_back(index);
        estate_.role_assignments.push_back(std::move(assignment));
        return std::nullopt;
    }

    Status add_role_definition(bj::object const& item,
                               std::string const& pointer)
    {
        auto guid = to_lower(str(item, "name"));
        if (guid.empty())
            guid = role_guid(str(item, "id"));
        // ARM nests the role type as properties.type; az prints it as a
        // top-level roleType (the top-level type is the resource type).
        auto const* props = obj(item, "properties");
        auto type = props ? str(*props, "type") : std::string_view();
        if (type.empty())
            type = str(item, "roleType");
        if (guid.empty())
            return fail(pointer, "a role definition without name or id");
        if (!iequals(type, "BuiltInRole") && !iequals(type, "CustomRole"))
            return fail(pointer, "a role definition whose type is neither "
                                 "BuiltInRole nor CustomRole");
        estate_.role_definitions.emplace(
            guid, model::RoleDefinition{std::string(prop_or_top(
                                            item, "roleName")),
                                        std::string(type)});
        return std::nullopt;
    }

    Status add_subscription(bj::object const& item,
                            std::string const& pointer)
    {
        std::string sub(str(item, "subscriptionId"));
        if (sub.empty())
            sub = str(item, "id");  // az account list: a bare GUID
        sub = to_lower(model::last_segment(sub));
        auto const tenant = str(item, "tenantId");
        if (sub.empty() || tenant.empty())
            return fail(pointer, "a subscription without subscriptionId "
                                 "and tenantId");
        estate_.subscription_tenants.emplace(sub, to_lower(tenant));
        auto name = str(item, "displayName");
        if (name.empty())
            name = str(item, "name");
        estate_.subscription_names.emplace(sub, std::string(name));
        return std::nullopt;
    }

    Status add_feature(bj::object const& item, std::string const& pointer)
    {
        auto const name = str(item, "name");
        if (!iequals(model::last_segment(name), "byoxPreview"))
            return std::nullopt;
        auto const sub = model::subscription_of(str(item, "id"));
        if (sub.empty())
            return fail(pointer + "/id",
                        "expected the feature's ID, which names its "
                        "subscription");
        auto const state = prop_or_top(item, "state");
        if (state.empty())
            return fail(pointer, "a feature without properties.state");
        estate_.feature_states.emplace(sub, std::string(state));
        return std::nullopt;
    }

    void add_location(bj::object const& item)
    {
        auto const* metadata = obj(item, "metadata");
        auto const group = metadata ? str(*metadata, "geographyGroup")
                                    : std::string_view();
        auto const name = str(item, "name");
        if (!group.empty() && !name.empty())
            estate_.region_geographies.emplace(normalize_region(name),
                                               std::string(group));
    }

    // ---- snapshots ----

    Status load_snapshot(bj::object const& root)
    {
        auto const format = str(root, "snapshotFormat");
        if (format != "byos-audit/1")
            return fail("/snapshotFormat",
                        "unsupported snapshot format '" +
                            std::string(format) + "' (this version reads "
                                                  "byos-audit/1)");
        for (auto const& [key, value] : root) {
            if (key != "snapshotFormat" && key != "tool" &&
                key != "collectedAt" && key != "cloud" && key != "scope" &&
                key != "collections")
                return fail("/" + std::string(key),
                            "unknown snapshot key '" + std::string(key) +
                                "'");
        }
        auto const* collections = obj(root, "collections");
        if (!collections)
            return fail("/collections", "expected an object of collections");

        for (auto const& [name, entries] : *collections) {
            std::string pointer = "/collections";
            json::append_pointer_token(pointer, name);
            auto const kind = kind_named(name);
            if (!kind)
                return fail(pointer,
                            "unknown collection '" + std::string(name) + "'");
            if (!entries.is_array())
                return fail(pointer, "expected an array of entries");
            auto const& list = entries.get_array();
            for (std::size_t i = 0; i < list.size(); ++i) {
                auto entry_pointer = pointer;
                json::append_pointer_index(entry_pointer, i);
                if (auto error = load_entry(*kind, list[i], entry_pointer))
                    return error;
            }
        }
        return std::nullopt;
    }

    Status load_entry(Kind kind, bj::value const& value,
                      std::string const& pointer)
    {
        if (!value.is_object())
            return fail(pointer, "expected an entry object");
        auto const& entry = value.get_object();
        for (auto const& [key, v] : entry) {
            if (key != "scope" && key != "request" && key != "status" &&
                key != "pages" && key != "body" && key != "error" &&
                key != "principalId")
                return fail(pointer + "/" + std::string(key),
                            "unknown entry key '" + std::string(key) + "'");
        }

        auto const* status = entry.if_contains("status");
        if (!status || !status->is_int64())
            return fail(pointer + "/status",
                        "expected the HTTP status as an integer");
        auto const code = status->get_int64();
        auto const scope = str(entry, "scope");
        if (scope.empty() && kind != Kind::subscriptions)
            return fail(pointer + "/scope", "expected the entry's scope");

        if (code >= 200 && code < 300)
            return load_success(kind, entry, pointer);
        auto const status_code = static_cast<int>(code);
        record_gap(kind, entry, gap_of(entry, status_code, pointer),
                   status_code == 404);
        return std::nullopt;
    }

    Status load_success(Kind kind, bj::object const& entry,
                        std::string const& pointer)
    {
        auto const scope = std::string(str(entry, "scope"));
        origin_scope_ = kind == Kind::role_assignments
                            ? model::id_key(scope)
                            : std::string();

        auto const* pages = entry.if_contains("pages");
        auto const* body = entry.if_contains("body");
        if (pages && !pages->is_array())
            return fail(pointer + "/pages", "expected an array of pages");
        if (!pages && !body)
            return fail(pointer, "a successful entry needs pages or body");

        if (pages) {
            auto const& list = pages->get_array();
            for (std::size_t i = 0; i < list.size(); ++i) {
                auto page_pointer = pointer + "/pages";
                json::append_pointer_index(page_pointer, i);
                if (auto error = load_page(list[i], page_pointer))
                    return error;
            }
        }
        if (body) {
            auto result = load_item(*body, pointer + "/body");
            if (!result)
                return result.error();
        }
        origin_scope_.clear();

        // A last page that still points at a next one means the listing
        // stopped early: it proves nothing about what it did not reach.
        if (pages && !pages->get_array().empty()) {
            auto const* last = pages->get_array().back().if_object();
            if (last && is_partial_page(*last)) {
                auto gap = gap_of(entry, 0, pointer);
                gap.code = "ListingIncomplete";
                gap.message = "the listing stopped before its last page "
                              "(its last page has a nextLink)";
                record_gap(kind, entry, std::move(gap), false);
                return std::nullopt;
            }
        }

        // What the entry proves beyond the items it holds.
        if (kind == Kind::speech_accounts)
            ++estate_.speech_listings;
        if (kind == Kind::storage_accounts &&
            model::scope_level(scope) == model::ScopeLevel::subscription)
            estate_.storage_listed_subscriptions.insert(
                model::subscription_of(scope));
        if (kind == Kind::role_assignments)
            estate_.role_listings[model::id_key(scope)].push_back(
                {to_lower(str(entry, "principalId")), std::nullopt});
        return std::nullopt;
    }

    Status load_page(bj::value const& page, std::string const& pointer)
    {
        auto const* object = page.if_object();
        bj::value const* items = nullptr;
        std::string items_pointer = pointer;
        if (object) {
            if ((items = object->if_contains("value")))
                items_pointer += "/value";
            else if ((items = object->if_contains("data")))
                items_pointer += "/data";
        }
        if (!items || !items->is_array())
            return fail(pointer, "expected a page with a value or data "
                                 "array");
        auto const& list = items->get_array();
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto item_pointer = items_pointer;
            json::append_pointer_index(item_pointer, i);
            auto result = load_item(list[i], item_pointer);
            if (!result)
                return result.error();
        }
        return std::nullopt;
    }

    // The gap a failed or incomplete entry leaves, placed at the entry.
    Gap gap_of(bj::object const& entry, int status,
               std::string const& pointer)
    {
        Gap gap;
        gap.scope = str(entry, "scope");
        gap.status = status;
        if (auto const* error = obj(entry, "error")) {
            gap.code = str(*error, "code");
            gap.message = str(*error, "message");
        }
        gap.source = source_for(pointer, &gap.source);
        return gap;
    }

    // Files a gap where the engine looks for it: which data it leaves
    // unknown depends on the collection. `not_found` is a 404, which for
    // a storage account or a feature is an answer, not a gap.
    void record_gap(Kind kind, bj::object const& entry, Gap gap,
                    bool not_found)
    {
        auto const key = model::id_key(gap.scope);
        auto const status = gap.status;

        switch (kind) {
        case Kind::speech_accounts:
            gap.what = "Speech accounts";
            keep_gap(estate_.scope_gaps.emplace_back(std::move(gap)));
            break;
        case Kind::storage_accounts:
            gap.what = "storage account";
            if (not_found &&
                model::scope_level(key) == model::ScopeLevel::resource)
                estate_.storage_not_found.insert(key);
            else if (model::scope_level(key) ==
                     model::ScopeLevel::resource)
                keep_gap(estate_.storage_gaps[key] = std::move(gap));
            else
                keep_gap(estate_.scope_gaps.emplace_back(std::move(gap)));
            break;
        case Kind::blob_services: {
            gap.what = "blob service properties";
            auto storage = model::parent_of_blob_service(key);
            keep_gap(estate_.blob_gaps[storage.empty() ? key : storage] =
                         std::move(gap));
            break;
        }
        case Kind::role_assignments: {
            gap.what = "role assignments";
            auto& listing = estate_.role_listings[key].emplace_back(
                model::RoleListing{to_lower(str(entry, "principalId")),
                                   std::move(gap)});
            keep_gap(*listing.gap);
            break;
        }
        case Kind::role_definitions:
            gap.what = "role definition";
            keep_gap(estate_.role_definition_gaps[role_guid(key)] =
                         std::move(gap));
            break;
        case Kind::features: {
            auto const sub = model::subscription_of(key);
            if (not_found)
                estate_.feature_states.emplace(sub, "NotRegistered");
            else {
                gap.what = "feature byoxPreview";
                keep_gap(estate_.feature_gaps[sub] = std::move(gap));
            }
            break;
        }
        case Kind::subscriptions:
        case Kind::locations:
            // Both have fallbacks (the identity's tenant, the built-in
            // region table); a rule that still lacks them says so itself.
            warnings_.push_back(path_ + ": " + std::string(name_of(kind)) +
                                " could not be read (" +
                                std::to_string(status) + ")");
            pending_.pop_back();
            break;
        }
    }

    // Gaps are copied into maps after their source was queued; re-point
    // the queued position at the stored copy.
    void keep_gap(Gap& stored) { pending_.back().second = &stored.source; }

    model::Estate& estate_;
    std::string path_;
    std::string_view text_;
    std::optional<Kind> declared_;
    std::vector<std::string>& warnings_;
    std::uint32_t file_ = 0;
    std::string origin_scope_;
    bool partial_ = false;
    std::vector<std::pair<std::string, model::Source*>> pending_;
};

}

std::vector<std::string> kind_names()
{
    std::vector<std::string> names;
    for (auto const& [name, kind] : kinds)
        names.emplace_back(name);
    return names;
}

Status load_text(std::string_view text, std::string const& name,
                 model::Estate& estate, std::vector<std::string>& warnings,
                 std::string const& kind)
{
    std::optional<Kind> declared;
    if (!kind.empty()) {
        declared = kind_named(kind);
        if (!declared)
            return Error{name, "", "unknown kind '" + kind + "'"};
    }
    auto root = json::parse(text, name);
    if (!root)
        return root.error();
    auto& document = estate.documents.emplace_back(std::move(*root));
    return Loader(estate, name, text, declared, warnings).load(document);
}

Status load(std::string const& argument, model::Estate& estate,
            std::vector<std::string>& warnings)
{
    // KIND=PATH, when KIND is one of the known names.
    std::string kind;
    std::string path = argument;
    if (auto const eq = argument.find('='); eq != std::string::npos &&
                                            kind_named(argument.substr(0, eq)))
    {
        kind = argument.substr(0, eq);
        path = argument.substr(eq + 1);
    }

    auto text = read_text_file(path);
    if (!text)
        return text.error();
    return load_text(*text, path, estate, warnings, kind);
}

void finish(model::Estate& estate)
{
    estate.speech_by_storage.clear();
    for (auto const& speech : estate.speech_accounts) {
        auto const* props = speech.json->if_contains("properties");
        if (!props || !props->is_object())
            continue;
        auto const* storage = props->get_object().if_contains(
            "userOwnedStorage");
        if (!storage)
            continue;
        // Every storage account the account names counts.
        auto add = [&](bj::value const& entry) {
            if (!entry.is_object())
                return;
            auto id = str(entry.get_object(), "resourceId");
            if (id.empty())
                id = str(entry.get_object(), "storageResourceId");
            if (!id.empty())
                estate.speech_by_storage[model::id_key(id)].push_back(
                    &speech);
        };
        if (storage->is_array())
            for (auto const& entry : storage->get_array())
                add(entry);
        else
            add(*storage);
    }
}

}
