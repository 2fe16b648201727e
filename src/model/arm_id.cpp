#include "model/arm_id.hpp"

#include "util/strings.hpp"

#include <vector>

namespace byos::model {

namespace {

// Walks the '/'-separated segments of an ID without allocating.
class Segments
{
public:
    explicit Segments(std::string_view id) : rest_(id) {}

    // The next non-empty segment; false at the end.
    bool next(std::string_view& segment)
    {
        while (!rest_.empty() && rest_.front() == '/')
            rest_.remove_prefix(1);
        if (rest_.empty())
            return false;
        auto const end = rest_.find('/');
        segment = rest_.substr(0, end);
        rest_ = end == std::string_view::npos ? std::string_view()
                                              : rest_.substr(end);
        return true;
    }

private:
    std::string_view rest_;
};

std::vector<std::string_view> segments(std::string_view id)
{
    std::vector<std::string_view> parts;
    Segments walk(id);
    for (std::string_view part; walk.next(part);)
        parts.push_back(part);
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
    Segments above(scope);
    Segments below(id);
    std::string_view a, b;
    while (above.next(a)) {
        if (!below.next(b) || !iequals(a, b))
            return false;
    }
    return true;
}

ScopeLevel scope_level(std::string_view scope)
{
    Segments walk(scope);
    std::string_view first, second, third;
    std::size_t count = 0;
    for (std::string_view part; walk.next(part); ++count) {
        if (count == 0)
            first = part;
        else if (count == 1)
            second = part;
        else if (count == 2)
            third = part;
    }
    if (count == 0)
        return ScopeLevel::root;
    if (iequals(first, "providers"))
        return count >= 2 && iequals(second, "Microsoft.Management")
                   ? ScopeLevel::management_group
                   : ScopeLevel::root;
    if (count <= 2)
        return ScopeLevel::subscription;
    if (count <= 4 && iequals(third, "resourceGroups"))
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
    Segments walk(id);
    std::string_view first, second;
    if (walk.next(first) && iequals(first, "subscriptions") &&
        walk.next(second))
        return to_lower(second);
    return {};
}

std::string_view resource_group_of(std::string_view id)
{
    Segments walk(id);
    std::string_view first, second, third, fourth;
    if (walk.next(first) && iequals(first, "subscriptions") &&
        walk.next(second) && walk.next(third) &&
        iequals(third, "resourceGroups") && walk.next(fourth))
        return fourth;
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
