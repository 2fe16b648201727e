#include "model/estate.hpp"

#include "model/arm_id.hpp"
#include "model/regions.hpp"
#include "util/strings.hpp"

namespace byos::model {

namespace {

std::string_view string_field(boost::json::object const* object,
                              std::string_view key)
{
    if (!object)
        return {};
    auto const* value = object->if_contains(key);
    if (!value || !value->is_string())
        return {};
    return value->get_string();
}

}

std::string_view Resource::name() const
{
    auto const name = string_field(json, "name");
    return name.empty() ? last_segment(id) : name;
}

std::string_view Resource::location() const
{
    return string_field(json, "location");
}

std::vector<OwnedStorage> user_owned_storage(Resource const& speech)
{
    std::vector<OwnedStorage> entries;
    auto const* props =
        speech.json ? speech.json->if_contains("properties") : nullptr;
    auto const* list = props && props->is_object()
                           ? props->get_object().if_contains("userOwnedStorage")
                           : nullptr;
    auto const add = [&](boost::json::value const& entry) {
        auto const* o = entry.if_object();
        auto id = string_field(o, "resourceId");
        if (id.empty())
            id = string_field(o, "storageResourceId");
        if (!id.empty())
            entries.push_back({std::string(id), std::string(string_field(
                                                    o, "identityClientId"))});
    };
    if (list && list->is_array())
        for (auto const& entry : list->get_array())
            add(entry);
    else if (list)
        add(*list);
    return entries;
}

namespace {

boost::json::object const* object_field(boost::json::object const* o,
                                        std::string_view key)
{
    auto const* v = o ? o->if_contains(key) : nullptr;
    return v ? v->if_object() : nullptr;
}

}

std::string system_principal(Resource const& speech)
{
    auto const* identity = object_field(speech.json, "identity");
    if (!icontains(string_field(identity, "type"), "SystemAssigned"))
        return {};
    return to_lower(string_field(identity, "principalId"));
}

std::string storage_principal(Resource const& speech,
                              std::string const& identity_client_id)
{
    if (identity_client_id.empty())
        return system_principal(speech);
    auto const* identity = object_field(speech.json, "identity");
    if (auto const* assigned =
            object_field(identity, "userAssignedIdentities"))
        for (auto const& [id, value] : *assigned)
            if (iequals(string_field(value.if_object(), "clientId"),
                        identity_client_id))
                return to_lower(string_field(value.if_object(), "principalId"));
    return {};
}

std::string Gap::describe() const
{
    std::string out = what;
    if (!scope.empty())
        out += " of " + scope;
    out += " could not be read";
    std::string detail;
    if (status)
        detail = std::to_string(status);
    if (!code.empty())
        detail += (detail.empty() ? "" : " ") + code;
    if (!message.empty())
        detail += (detail.empty() ? "" : ": ") + message;
    if (!detail.empty())
        out += " (" + detail + ")";
    return out;
}

Presence Estate::storage_presence(std::string const& key, Gap const** why) const
{
    *why = nullptr;
    if (storage_by_key.count(key))
        return Presence::present;
    if (storage_not_found.count(key))
        return Presence::not_found;
    if (auto const gap = storage_gaps.find(key); gap != storage_gaps.end()) {
        *why = &gap->second;
        return Presence::unknown;
    }
    // A complete listing of the subscription proves it does not exist.
    if (storage_listed_subscriptions.count(subscription_of(key)))
        return Presence::not_found;
    return Presence::unknown;
}

Resource const* Estate::blob_service_of(std::string const& storage_key,
                                        Gap const** why) const
{
    *why = nullptr;
    if (auto const it = blob_by_storage.find(storage_key);
        it != blob_by_storage.end())
        return it->second;
    if (auto const gap = blob_gaps.find(storage_key); gap != blob_gaps.end())
        *why = &gap->second;
    return nullptr;
}

std::optional<Gap>
Estate::role_assignment_gap(std::string const& storage_key,
                            std::string const& principal_key) const
{
    // The scopes at or above the account: "/", then each prefix that ends
    // at a segment boundary, then the account itself. A handful of map
    // look-ups per pair, whatever the number of listings.
    bool covered = role_assignments_given;
    std::optional<Gap> gap;
    auto const visit = [&](std::string_view scope) {
        auto const it = role_listings.find(scope);
        if (it == role_listings.end())
            return;
        for (auto const& listing : it->second) {
            if (!listing.principal_key.empty() &&
                listing.principal_key != principal_key)
                continue;
            if (listing.gap && !gap)
                gap = listing.gap;
            covered = true;
        }
    };
    visit("/");
    for (std::size_t i = 1; i < storage_key.size(); ++i)
        if (storage_key[i] == '/')
            visit(std::string_view(storage_key).substr(0, i));
    visit(storage_key);

    if (gap)
        return gap;
    if (covered)
        return std::nullopt;
    return Gap{"role assignments",
               storage_key,
               0,
               "NotCollected",
               "the input holds no role assignments for this storage "
               "account",
               {}};
}

std::optional<std::string> Estate::geography_of(std::string const& region) const
{
    if (auto const it = region_geographies.find(region);
        it != region_geographies.end())
        return it->second;
    return builtin_geography_group(region);
}

}
