#include "input/normalize.hpp"

#include <array>
#include <string_view>

namespace byos::input {

namespace {

namespace bj = boost::json;

// Keys that stay at the top level of an ARM resource.
constexpr std::array<std::string_view, 10> envelope_keys = {
    "id",  "name", "type",     "kind", "location",
    "sku", "tags", "identity", "etag", "extendedLocation"};

bool is_envelope_key(std::string_view key)
{
    for (auto k : envelope_keys)
        if (k == key)
            return true;
    return false;
}

// Renames the keys of each object in `array` per `renames`.
bj::value rename_in_array(
    bj::value const& array,
    std::initializer_list<std::pair<std::string_view, std::string_view>>
        renames)
{
    if (!array.is_array())
        return array;
    bj::array out;
    for (auto const& item : array.get_array()) {
        if (!item.is_object()) {
            out.push_back(item);
            continue;
        }
        bj::object renamed;
        for (auto const& [key, value] : item.get_object()) {
            std::string_view name = key;
            for (auto const& [from, to] : renames)
                if (key == from)
                    name = to;
            renamed[name] = value;
        }
        out.push_back(std::move(renamed));
    }
    return out;
}

bj::value network_rule_set_to_acls(bj::value const& rules)
{
    if (!rules.is_object())
        return rules;
    bj::object acls = rules.get_object();
    if (auto* ip = acls.if_contains("ipRules"))
        *ip = rename_in_array(*ip, {{"ipAddressOrRange", "value"}});
    if (auto* vnet = acls.if_contains("virtualNetworkRules"))
        *vnet = rename_in_array(*vnet, {{"virtualNetworkResourceId", "id"}});
    return acls;
}

bool has_any(bj::object const& object,
             std::initializer_list<std::string_view> keys)
{
    for (auto key : keys)
        if (object.contains(key))
            return true;
    return false;
}

// Moves every non-envelope key under `properties`, renaming per `rename`.
template <class Rename>
bj::value fold_into_properties(bj::object const& flat, Rename rename)
{
    bj::object arm;
    bj::object properties;
    for (auto const& [key, value] : flat) {
        if (is_envelope_key(key))
            arm[key] = value;
        else
            rename(properties, key, value);
    }
    arm["properties"] = std::move(properties);
    return arm;
}

}

std::optional<bj::value> normalize_storage_account(bj::object const& account)
{
    if (account.contains("properties") ||
        !has_any(account, {"networkRuleSet", "enableHttpsTrafficOnly",
                           "allowBlobPublicAccess", "allowSharedKeyAccess",
                           "primaryEndpoints", "minimumTlsVersion"}))
        return std::nullopt;

    return fold_into_properties(account, [](bj::object& properties,
                                            std::string_view key,
                                            bj::value const& value) {
        if (key == "networkRuleSet")
            properties["networkAcls"] = network_rule_set_to_acls(value);
        else if (key == "enableHttpsTrafficOnly")
            properties["supportsHttpsTrafficOnly"] = value;
        else
            properties[key] = value;
    });
}

std::optional<bj::value> normalize_blob_service(bj::object const& service)
{
    if (service.contains("properties") ||
        !has_any(service, {"cors", "deleteRetentionPolicy",
                           "isVersioningEnabled", "changeFeed"}))
        return std::nullopt;

    return fold_into_properties(
        service, [](bj::object& properties, std::string_view key,
                    bj::value const& value) { properties[key] = value; });
}

}
