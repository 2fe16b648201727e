#include "model/arm_id.hpp"

#include "util/strings.hpp"

#include <vector>

namespace byos::model {

namespace {

std::vector<std::string_view> segments(std::string_view id)
{
    std::vector<std::string_view> parts;
    while (!id.empty()) {
        auto const at = id.find('/');
        auto const part = id.substr(0, at);
        if (!part.empty())
            parts.push_back(part);
        if (at == std::string_view::npos)
            break;
        id.remove_prefix(at + 1);
    }
    return parts;
}

}

std::string id_key(std::string_view id)
{
    while (id.size() > 1 && id.back() == '/')
        id.remove_suffix(1);
    return to_lower(id);
}

bool is_scope_at_or_above(std::string_view scope, std::string_view id)
{
    auto const above = segments(scope);
    auto const below = segments(id);
    if (above.size() > below.size())
        return false;
    for (std::size_t i = 0; i < above.size(); ++i)
        if (!iequals(above[i], below[i]))
            return false;
    return true;
}

ScopeLevel scope_level(std::string_view scope)
{
    auto const parts = segments(scope);
    if (parts.empty())
        return ScopeLevel::root;
    if (iequals(parts[0], "providers"))
        return parts.size() >= 2 && iequals(parts[1], "Microsoft.Management")
                   ? ScopeLevel::management_group
                   : ScopeLevel::root;
    if (parts.size() <= 2)
        return ScopeLevel::subscription;
    if (parts.size() <= 4 && iequals(parts[2], "resourceGroups"))
        return ScopeLevel::resource_group;
    return ScopeLevel::resource;
}

char const* to_string(ScopeLevel level)
{
    switch (level) {
    case ScopeLevel::root: return "root";
    case ScopeLevel::management_group: return "managementGroup";
    case ScopeLevel::subscription: return "subscription";
    case ScopeLevel::resource_group: return "resourceGroup";
    case ScopeLevel::resource: return "resource";
    }
    return "resource";
}

std::string subscription_of(std::string_view id)
{
    auto const parts = segments(id);
    if (parts.size() >= 2 && iequals(parts[0], "subscriptions"))
        return to_lower(parts[1]);
    return {};
}

std::string_view last_segment(std::string_view id)
{
    while (!id.empty() && id.back() == '/')
        id.remove_suffix(1);
    auto const at = id.rfind('/');
    return at == std::string_view::npos ? id : id.substr(at + 1);
}

std::string type_of(std::string_view id)
{
    auto const parts = segments(id);
    std::size_t provider = parts.size();
    for (std::size_t i = 0; i + 1 < parts.size(); ++i)
        if (iequals(parts[i], "providers"))
            provider = i;
    if (provider + 1 >= parts.size())
        return {};
    // namespace, then type/name pairs: keep the types.
    std::string type = to_lower(parts[provider + 1]);
    for (std::size_t i = provider + 2; i < parts.size(); i += 2) {
        type += '/';
        type += to_lower(parts[i]);
    }
    return type;
}

std::string parent_of_blob_service(std::string_view id)
{
    constexpr std::string_view suffix = "/blobservices/default";
    auto const key = id_key(id);
    if (key.size() <= suffix.size() ||
        key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0)
        return {};
    return key.substr(0, key.size() - suffix.size());
}

}
