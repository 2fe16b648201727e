#include "input/reader.hpp"

#include "model/arm_id.hpp"
#include "util/strings.hpp"
#include "json/source_index.hpp"

namespace byos::input::detail {

Status Reader::load_snapshot(bj::object const& root)
{
    auto const format = str(root, "snapshotFormat");
    if (format != "byos-audit/1")
        return fail("/snapshotFormat", "unsupported snapshot format '" +
                                           std::string(format) +
                                           "' (this version reads "
                                           "byos-audit/1)");
    for (auto const& [key, value] : root) {
        if (key != "snapshotFormat" && key != "tool" && key != "collectedAt" &&
            key != "cloud" && key != "scope" && key != "collections")
            return fail("/" + std::string(key),
                        "unknown snapshot key '" + std::string(key) + "'");
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

Status Reader::load_entry(Kind kind, bj::value const& value,
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

Status Reader::load_success(Kind kind, bj::object const& entry,
                            std::string const& pointer)
{
    auto const scope = std::string(str(entry, "scope"));
    origin_scope_ =
        kind == Kind::role_assignments ? model::id_key(scope) : std::string();

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

Status Reader::load_page(bj::value const& page, std::string const& pointer)
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
Gap Reader::gap_of(bj::object const& entry, int status,
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
void Reader::record_gap(Kind kind, bj::object const& entry, Gap gap,
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
        if (not_found && model::scope_level(key) == model::ScopeLevel::resource)
            estate_.storage_not_found.insert(key);
        else if (model::scope_level(key) == model::ScopeLevel::resource)
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
        auto& listing =
            estate_.role_listings[key].emplace_back(model::RoleListing{
                to_lower(str(entry, "principalId")), std::move(gap)});
        keep_gap(*listing.gap);
        break;
    }
    case Kind::role_definitions:
        gap.what = "role definition";
        keep_gap(estate_.role_definition_gaps[role_guid(key)] = std::move(gap));
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
                            " could not be read (" + std::to_string(status) +
                            ")");
        pending_.pop_back();
        break;
    }
}

}
