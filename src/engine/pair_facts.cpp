#include "engine/pair_facts.hpp"

#include "model/arm_id.hpp"
#include "util/strings.hpp"

#include <array>

namespace byos::engine {

namespace bj = boost::json;

namespace {

constexpr std::array<std::string_view, 19> fact_names = {
    "scenario",           "speechStudio",       "isByos",
    "storageId",          "storageFound",       "systemPrincipalId",
    "principalId",        "roleAssignments",    "subscriptionId",
    "tenantId",           "speechRegion",       "storageRegion",
    "speechGeography",    "storageGeography",   "storageBypass",
    "storageSpeechCount", "storageSpeechNames", "byoxPreviewState",
    "subscriptionName"};

// Built-in role definitions have the same GUID in every tenant and cloud,
// so an assignment of one of these is built-in even when its definition was
// not collected.
constexpr std::array<std::pair<std::string_view, std::string_view>, 10>
    builtin_roles = {{
        {"ba92f5b4-2d11-453d-a403-e96b0029c9fe",
         "Storage Blob Data Contributor"},
        {"b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner"},
        {"2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Storage Blob Data Reader"},
        {"17d1049b-9a84-46fb-8f53-869881c3d3ab", "Storage Account Contributor"},
        {"8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner"},
        {"b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor"},
        {"acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader"},
        {"18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator"},
        {"f58310d9-a9f6-439a-9e8d-f62e7b41a168",
         "Role Based Access Control Administrator"},
        {"f2dc8367-1007-4938-bd23-fe263f013447",
         "Cognitive Services Speech User"},
    }};

bj::object const* object_at(bj::object const* o, std::string_view key)
{
    if (!o)
        return nullptr;
    auto const* v = o->if_contains(key);
    return v && v->is_object() ? &v->get_object() : nullptr;
}

std::string_view string_at(bj::object const* o, std::string_view key)
{
    if (!o)
        return {};
    auto const* v = o->if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string())
                               : std::string_view();
}

bj::value role_type_of(model::Estate const& estate, std::string const& guid,
                       std::string& name)
{
    if (auto const it = estate.role_definitions.find(guid);
        it != estate.role_definitions.end()) {
        name = it->second.name;
        return bj::string(it->second.type);
    }
    for (auto const& [id, builtin_name] : builtin_roles)
        if (id == guid) {
            name = builtin_name;
            return bj::string("BuiltInRole");
        }
    if (auto const gap = estate.role_definition_gaps.find(guid);
        gap != estate.role_definition_gaps.end())
        return make_unknown(gap->second.describe());
    return make_unknown("role definition " + guid + " is not in the input");
}

// The assignments of `principal` that reach `storage_key`. Assignments
// made to a group that holds the identity are not resolved, so an identity
// that has its role only through a group is reported by BYOS004.
bj::value effective_roles(model::Estate const& estate,
                          std::string const& principal,
                          std::string const& storage_key,
                          bj::storage_ptr const& storage)
{
    if (auto gap = estate.role_assignment_gap(storage_key, principal))
        return make_unknown(gap->describe());

    bj::array roles(storage);
    auto const it = estate.assignments_by_principal.find(principal);
    if (principal.empty() || it == estate.assignments_by_principal.end())
        return roles;

    for (auto const index : it->second) {
        auto const& a = estate.role_assignments[index];
        auto const level = model::scope_level(a.scope);
        // A management group's place above the storage account is not in
        // the assignment; a listing made at or above the account says so.
        // Loose input says nothing about where it was listed, so there an
        // assignment at a management group is taken to reach the account.
        bool const reaches =
            level == model::ScopeLevel::management_group
                ? a.origin_scope.empty() ||
                      model::is_scope_at_or_above(a.origin_scope, storage_key)
                : model::is_scope_at_or_above(a.scope, storage_key);
        if (!reaches)
            continue;

        std::string name;
        auto type = role_type_of(estate, a.role_guid, name);
        auto& role = roles.emplace_back(bj::object()).get_object();
        role["roleDefinitionId"] = a.role_guid;
        role["roleName"] = name;
        role["roleType"] = std::move(type);
        role["scope"] = a.scope;
        role["scopeLevel"] = model::to_string(level);
        role["hasCondition"] = a.has_condition;
    }
    return roles;
}

bj::value bypass_flags(model::Resource const* storage)
{
    auto const* props =
        storage ? object_at(storage->json, "properties") : nullptr;
    auto const* acls = object_at(props, "networkAcls");
    bj::array flags;
    // ARM's default for an account without the setting is AzureServices.
    auto const* bypass = acls ? acls->if_contains("bypass") : nullptr;
    if (!bypass || bypass->is_null()) {
        flags.emplace_back("AzureServices");
        return flags;
    }
    if (bypass->is_string())
        for (auto& flag : split_trimmed(bypass->get_string(), ','))
            flags.emplace_back(flag);
    else if (bypass->is_array())
        for (auto const& flag : bypass->get_array())
            flags.push_back(flag);
    return flags;
}

Scenario scenario_of(model::Resource const& speech, AuditOptions const& options,
                     std::vector<std::string>& warnings)
{
    for (auto const& p : options.scenario_patterns)
        if (id_glob_match(p.resource, speech.id))
            return p.scenario;
    auto const* tags = object_at(speech.json, "tags");
    if (!tags)
        return options.scenario;
    for (auto const& [key, value] : *tags) {
        if (!iequals(key, "byos-audit-scenario"))
            continue;
        auto const text = value.is_string()
                              ? std::string_view(value.get_string())
                              : std::string_view();
        if (auto const s = scenario_named(trim(text)))
            return *s;
        warnings.push_back("Speech resource " + speech.id +
                           ": tag byos-audit-scenario has the value '" +
                           std::string(text) +
                           "', not stt, tts or both; it is audited as " +
                           to_string(options.scenario));
    }
    return options.scenario;
}

bj::value tenant_of(model::Estate const& estate, model::Resource const& speech,
                    std::string const& subscription)
{
    if (auto const it = estate.subscription_tenants.find(subscription);
        it != estate.subscription_tenants.end())
        return bj::string(it->second);
    // A system-assigned identity lives in the tenant of its subscription.
    auto const tenant =
        string_at(object_at(speech.json, "identity"), "tenantId");
    if (!tenant.empty())
        return bj::string(to_lower(tenant));
    return make_unknown("the tenant of subscription " + subscription +
                        " is not in the input");
}

bj::value geography(model::Estate const& estate, std::string const& region)
{
    if (auto const g = estate.geography_of(region))
        return bj::string(*g);
    return make_unknown("the geography of region '" + region +
                        "' is not known");
}

bj::value feature_state(model::Estate const& estate,
                        std::string const& subscription)
{
    if (auto const it = estate.feature_states.find(subscription);
        it != estate.feature_states.end())
        return bj::string(it->second);
    if (auto const gap = estate.feature_gaps.find(subscription);
        gap != estate.feature_gaps.end())
        return make_unknown(gap->second.describe());
    return make_unknown("the byoxPreview feature state of subscription " +
                        subscription + " is not in the input");
}

}

bool is_known_fact(std::string_view name)
{
    for (auto fact : fact_names)
        if (fact == name)
            return true;
    return false;
}

Roots Subject::roots() const
{
    Roots r;
    r.speech = speech->value;
    r.pair = &pair;
    r.storage = storage ? storage->value : &storage_marker;
    r.blob_service = blob ? blob : &blob_marker;
    return r;
}

Subject make_subject(model::Estate const& estate, model::Resource const& speech,
                     model::OwnedStorage const* owned,
                     AuditOptions const& options,
                     std::vector<std::string>& warnings,
                     boost::json::storage_ptr const& storage)
{
    Subject s(storage);
    s.speech = &speech;
    if (owned)
        s.storage_id = owned->resource_id;
    auto const& storage_id = s.storage_id;
    s.scenario = scenario_of(speech, options, warnings);
    s.subscription = model::subscription_of(speech.id);
    auto const storage_key = model::id_key(storage_id);

    bj::object pair(storage);
    pair["scenario"] = to_string(s.scenario);
    pair["speechStudio"] = options.speech_studio;
    pair["isByos"] = !storage_id.empty();
    pair["subscriptionId"] = s.subscription;
    if (auto const n = estate.subscription_names.find(s.subscription);
        n != estate.subscription_names.end())
        pair["subscriptionName"] = n->second;
    pair["tenantId"] = tenant_of(estate, speech, s.subscription);
    pair["byoxPreviewState"] = feature_state(estate, s.subscription);
    auto const speech_region = normalize_region(speech.location());
    pair["speechRegion"] = speech_region;
    pair["speechGeography"] = geography(estate, speech_region);
    if (auto const system = model::system_principal(speech); !system.empty())
        pair["systemPrincipalId"] = system;

    s.storage_marker = make_unknown("the Speech account names no storage "
                                    "account",
                                    storage);

    if (!storage_id.empty()) {
        pair["storageId"] = storage_id;
        auto const principal =
            model::storage_principal(speech, owned->identity_client_id);
        if (!principal.empty())
            pair["principalId"] = principal;

        model::Gap const* why = nullptr;
        s.storage_presence = estate.storage_presence(storage_key, &why);
        switch (s.storage_presence) {
        case model::Presence::present:
            s.storage = estate.storage_by_key.at(storage_key);
            pair["storageFound"] = true;
            break;
        case model::Presence::not_found:
            pair["storageFound"] = false;
            s.storage_marker = make_unknown("storage account " + storage_id +
                                            " does not exist");
            break;
        case model::Presence::unknown:
            s.storage_unknown =
                why ? why->describe()
                    : "storage account " + storage_id + " is not in the input";
            pair["storageFound"] = make_unknown(s.storage_unknown);
            s.storage_marker = make_unknown(s.storage_unknown);
            break;
        }

        if (s.storage) {
            auto const region = normalize_region(s.storage->location());
            pair["storageRegion"] = region;
            pair["storageGeography"] = geography(estate, region);
            pair["storageBypass"] = bypass_flags(s.storage);
            pair["roleAssignments"] =
                effective_roles(estate, principal, storage_key, storage);

            model::Gap const* blob_why = nullptr;
            if (auto const* blob =
                    estate.blob_service_of(storage_key, &blob_why))
                s.blob = blob->value;
            else
                s.blob_marker = make_unknown(
                    blob_why ? blob_why->describe()
                             : "blob service properties of " + storage_id +
                                   " are not in the input");
        }

        // Only the Speech accounts in the input are counted: one outside
        // the audited files that shares the account goes unseen.
        std::vector<std::string> names;
        if (auto const users = estate.speech_by_storage.find(storage_key);
            users != estate.speech_by_storage.end())
            for (auto const* user : users->second)
                names.emplace_back(user->name());
        pair["storageSpeechCount"] = names.size();
        pair["storageSpeechNames"] = join(names, ", ");
    }

    if (!s.blob && s.blob_marker.is_null())
        s.blob_marker = s.storage_marker;
    s.pair = std::move(pair);
    return s;
}

}
