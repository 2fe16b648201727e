#include "input/reader.hpp"

#include "model/arm_id.hpp"
#include "util/strings.hpp"
#include "json/source_index.hpp"

namespace byos::input::detail {

std::optional<Kind> kind_named(std::string_view name)
{
    return find_by_name(kinds, name);
}

std::string_view name_of(Kind kind)
{
    return name_in(kinds, kind);
}

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

std::string_view prop_or_top(bj::object const& object, std::string_view key)
{
    if (auto const* props = obj(object, "properties")) {
        auto const value = str(*props, key);
        if (!value.empty())
            return value;
    }
    return str(object, key);
}

// Only accounts of kind SpeechServices are audited; other Cognitive
// Services accounts, AIServices accounts with userOwnedStorage among them,
// are skipped.
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

std::string role_guid(std::string_view role_definition_id)
{
    return to_lower(model::last_segment(role_definition_id));
}

Reader::Reader(model::Estate& estate, std::string path, std::string_view text,
               std::optional<Kind> declared, std::vector<std::string>& warnings)
    : estate_(estate), path_(std::move(path)), text_(text), declared_(declared),
      warnings_(warnings)
{
    file_ = static_cast<std::uint32_t>(estate_.files.size());
    estate_.files.push_back(path_);
}

Status Reader::load(bj::value const& root)
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

Error Reader::fail(std::string const& pointer, std::string message) const
{
    auto where = json::line_column(json::locate(text_, {pointer}).front());
    if (!pointer.empty())
        where += (where.empty() ? "" : " ") + ("(at " + pointer + ")");
    return Error{path_, where, std::move(message)};
}

model::Source Reader::source_for(std::string const& pointer,
                                 model::Source* slot)
{
    pending_.emplace_back(pointer, slot);
    return model::Source{file_, {}};
}

// One pass over the text gives every pending resource its position.
void Reader::place_sources()
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

// Gaps are copied into maps after their source was queued; re-point
// the queued position at the stored copy.
void Reader::keep_gap(Gap& stored)
{
    pending_.back().second = &stored.source;
}

char const* Reader::kind_of(bj::value const& value)
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

}
