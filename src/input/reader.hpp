#pragma once

// The reader behind input::load: one object per input file, which
// recognises the file's form and adds what it holds to the estate. Internal
// to src/input; its parts are spread over reader.cpp (errors, positions),
// loose.cpp (az, ARM and Resource Graph output), items.cpp (one item of
// any input into the estate) and snapshot.cpp (snapshot entries).

#include "model/estate.hpp"
#include "util/error.hpp"
#include "util/names.hpp"

#include <boost/json/value.hpp>

#include <array>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace byos::input::detail {

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

std::optional<Kind> kind_named(std::string_view name);
std::string_view name_of(Kind kind);

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

// The string or object at `key`; empty or null when it is something else.
std::string_view str(bj::object const& object, std::string_view key);
bj::object const* obj(bj::object const& object, std::string_view key);

// A field read from `properties` or, in az's flattened output, from the
// top level.
std::string_view prop_or_top(bj::object const& object, std::string_view key);

ItemKind classify(bj::object const& item);
bool matches(ItemKind item, Kind kind);

// The last path segment of a role definition ID, which is its GUID.
std::string role_guid(std::string_view role_definition_id);

class Reader
{
public:
    Reader(model::Estate& estate, std::string path, std::string_view text,
           std::optional<Kind> declared, std::vector<std::string>& warnings);

    Status load(bj::value const& root);

private:
    // ---- Errors and positions (reader.cpp).

    Error fail(std::string const& pointer, std::string message) const;

    model::Source source_for(std::string const& pointer, model::Source* slot);

    // One pass over the text gives every pending resource its position.
    void place_sources();

    // Gaps are copied into maps after their source was queued; re-point
    // the queued position at the stored copy.
    void keep_gap(Gap& stored);

    static char const* kind_of(bj::value const& value);

    // ---- Loose input: az, ARM and Resource Graph output (loose.cpp).

    Status load_loose(bj::value const& root);

    Status empty_list();

    static bool is_partial_page(bj::object const& page);

    // ---- Items of any input, into the estate (items.cpp).

    // Loads one item; the result is 1 when it was data byos-audit reads
    // and 0 when it was something else (a virtual machine in an
    // `az resource list`).
    Result<std::size_t> load_item(bj::value const& value,
                                  std::string const& pointer);

    Result<std::string> required_id(bj::object const& item,
                                    std::string const& pointer);

    // Adds a resource to one of the estate's collections; the first of
    // several copies of one ID wins.
    void add_resource(std::deque<Resource>& list,
                      std::unordered_map<std::string, Resource*>& index,
                      std::string index_key, bj::value const& value,
                      std::string id, std::string const& pointer);

    Status add_speech(bj::value const& value, std::string const& pointer);

    Status check_object(bj::object const& item, std::string_view key,
                        std::string const& pointer);

    bj::value const& keep(bj::value normalized);

    Status add_storage(bj::value const& raw, std::string const& pointer);

    Status add_blob_service(bj::value const& raw, std::string const& pointer);

    Status add_role_assignment(bj::object const& item,
                               std::string const& pointer);

    Status add_role_definition(bj::object const& item,
                               std::string const& pointer);

    Status add_subscription(bj::object const& item, std::string const& pointer);

    Status add_feature(bj::object const& item, std::string const& pointer);

    void add_location(bj::object const& item);

    // `az resource list` prints resources with "properties": null. Without
    // them nothing can be checked, and defaults must not pass for data, so
    // the resource is recorded as not read.
    bool lacks_properties(bj::object const& item, std::string const& id,
                          std::string const& pointer, char const* what);

    // ---- Snapshots (snapshot.cpp).

    Status load_snapshot(bj::object const& root);

    Status load_entry(Kind kind, bj::value const& value,
                      std::string const& pointer);

    Status load_success(Kind kind, bj::object const& entry,
                        std::string const& pointer);

    Status load_page(bj::value const& page, std::string const& pointer);

    // The gap a failed or incomplete entry leaves, placed at the entry.
    Gap gap_of(bj::object const& entry, int status, std::string const& pointer);

    // Files a gap where the engine looks for it: which data it leaves
    // unknown depends on the collection. `not_found` is a 404, which for
    // a storage account or a feature is an answer, not a gap.
    void record_gap(Kind kind, bj::object const& entry, Gap gap,
                    bool not_found);

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
