#include "input/reader.hpp"

#include "input/normalize.hpp"
#include "model/arm_id.hpp"
#include "util/strings.hpp"

namespace byos::input::detail {

// Loads one item; the result is 1 when it was data byos-audit reads
// and 0 when it was something else (a virtual machine in an
// `az resource list`).
Result<std::size_t> Reader::load_item(bj::value const& value,
                                      std::string const& pointer)
{
    if (!value.is_object())
        return fail(pointer,
                    "expected an object, found " + std::string(kind_of(value)));
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
        estate_.role_assignments_given |= origin_scope_.empty() && !partial_;
        break;
    case ItemKind::role_definition:
        error = add_role_definition(item, pointer);
        break;
    case ItemKind::subscription: error = add_subscription(item, pointer); break;
    case ItemKind::feature: error = add_feature(item, pointer); break;
    case ItemKind::location: add_location(item); break;
    case ItemKind::other_cognitive_account: return std::size_t{1};
    case ItemKind::unrelated: return std::size_t{0};
    }
    if (error)
        return *error;
    return std::size_t{1};
}

Result<std::string> Reader::required_id(bj::object const& item,
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
void Reader::add_resource(std::deque<Resource>& list,
                          std::unordered_map<std::string, Resource*>& index,
                          std::string index_key, bj::value const& value,
                          std::string id, std::string const& pointer)
{
    if (index.count(index_key))
        return;

    auto& resource = list.emplace_back();
    resource.value = &value;
    resource.json = &value.get_object();
    resource.key = model::id_key(id);
    resource.id = std::move(id);
    resource.source = source_for(pointer, &resource.source);
    index.emplace(std::move(index_key), &resource);
}

Status Reader::add_speech(bj::value const& value, std::string const& pointer)
{
    auto const& item = value.get_object();
    auto id = required_id(item, pointer);
    if (!id)
        return id.error();
    if (lacks_properties(item, *id, pointer, "Speech account"))
        return std::nullopt;
    auto key = model::id_key(*id);
    add_resource(estate_.speech_accounts, estate_.speech_by_key, std::move(key),
                 value, std::move(*id), pointer);
    return check_object(item, "properties", pointer);
}

Status Reader::check_object(bj::object const& item, std::string_view key,
                            std::string const& pointer)
{
    auto const* value = item.if_contains(key);
    if (value && !value->is_object() && !value->is_null())
        return fail(pointer + "/" + std::string(key),
                    "expected an object, found " +
                        std::string(kind_of(*value)));
    return std::nullopt;
}

bj::value const& Reader::keep(bj::value normalized)
{
    return estate_.documents.emplace_back(std::move(normalized));
}

Status Reader::add_storage(bj::value const& raw, std::string const& pointer)
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
    auto key = model::id_key(*id);
    add_resource(estate_.storage_accounts, estate_.storage_by_key,
                 std::move(key), *value, std::move(*id), pointer);
    if (auto error = check_object(*item, "properties", pointer))
        return error;
    if (auto const* props = obj(*item, "properties"))
        return check_object(*props, "networkAcls", pointer + "/properties");
    return std::nullopt;
}

Status Reader::add_blob_service(bj::value const& raw,
                                std::string const& pointer)
{
    auto const* value = &raw;
    if (auto normalized = normalize_blob_service(raw.get_object()))
        value = &keep(std::move(*normalized));
    auto const* item = &value->get_object();
    auto id = required_id(*item, pointer);
    if (!id)
        return id.error();
    auto storage = model::parent_of_blob_service(*id);
    if (storage.empty())
        return fail(pointer + "/id",
                    "expected the ID of a blob service, ending in "
                    "/blobServices/default");
    add_resource(estate_.blob_services, estate_.blob_by_storage,
                 std::move(storage), *value, std::move(*id), pointer);
    return check_object(*item, "properties", pointer);
}

Status Reader::add_role_assignment(bj::object const& item,
                                   std::string const& pointer)
{
    auto const principal = prop_or_top(item, "principalId");
    auto const role = prop_or_top(item, "roleDefinitionId");
    if (principal.empty())
        return fail(pointer, "a role assignment without principalId");
    if (role.empty())
        return fail(pointer, "a role assignment without roleDefinitionId");

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
    auto const* condition =
        props ? props->if_contains("condition") : item.if_contains("condition");

    model::RoleAssignment assignment;
    assignment.principal_key = to_lower(principal);
    assignment.role_guid = role_guid(role);
    assignment.scope = std::move(scope);
    assignment.origin_scope = origin_scope_;
    assignment.has_condition =
        condition && condition->is_string() && !condition->get_string().empty();

    auto const index = estate_.role_assignments.size();
    estate_.assignments_by_principal[assignment.principal_key].push_back(index);
    estate_.role_assignments.push_back(std::move(assignment));
    return std::nullopt;
}

Status Reader::add_role_definition(bj::object const& item,
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
        guid, model::RoleDefinition{std::string(prop_or_top(item, "roleName")),
                                    std::string(type)});
    return std::nullopt;
}

Status Reader::add_subscription(bj::object const& item,
                                std::string const& pointer)
{
    std::string sub(str(item, "subscriptionId"));
    if (sub.empty())
        sub = str(item, "id"); // az account list: a bare GUID
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

Status Reader::add_feature(bj::object const& item, std::string const& pointer)
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

void Reader::add_location(bj::object const& item)
{
    auto const* metadata = obj(item, "metadata");
    auto const group =
        metadata ? str(*metadata, "geographyGroup") : std::string_view();
    auto const name = str(item, "name");
    if (!group.empty() && !name.empty())
        estate_.region_geographies.emplace(normalize_region(name),
                                           std::string(group));
}

// `az resource list` prints resources with "properties": null. Without
// them nothing can be checked, and defaults must not pass for data, so
// the resource is recorded as not read.
bool Reader::lacks_properties(bj::object const& item, std::string const& id,
                              std::string const& pointer, char const* what)
{
    auto const* props = item.if_contains("properties");
    if (props && props->is_object())
        return false;
    model::Gap gap{what,
                   id,
                   0,
                   "PropertiesMissing",
                   "the input lists it without its properties (az "
                   "resource list leaves them out; use the show or "
                   "list command of its service)",
                   {}};
    gap.source = source_for(pointer, &gap.source);
    if (std::string_view(what) == "storage account")
        keep_gap(estate_.storage_gaps[model::id_key(id)] = std::move(gap));
    else
        keep_gap(estate_.scope_gaps.emplace_back(std::move(gap)));
    return true;
}

}
