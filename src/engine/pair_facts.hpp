#pragma once

// The facts the condition language cannot express over raw JSON (effective
// role assignments across scopes, the tenant of a subscription, region
// geographies, how many Speech accounts share a storage account) are
// computed here, once per Speech account and storage account pair, and
// exposed to rules under `pair.`.

#include "engine/condition.hpp"
#include "engine/rule.hpp"
#include "model/estate.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace byos::engine {

// True for the names that may follow `pair.` in a field path.
bool is_known_fact(std::string_view name);

// A scenario for the Speech resources whose IDs match a pattern (see
// id_glob_match), as a configuration file sets it.
struct ScenarioPattern
{
    std::string resource;
    Scenario scenario = Scenario::stt;
};

struct AuditOptions
{
    Scenario scenario = Scenario::stt;
    // The first pattern that matches a Speech resource's ID decides its
    // scenario, before its byos-audit-scenario tag and `scenario`.
    std::vector<ScenarioPattern> scenario_patterns;
    bool speech_studio = false;
    // Also note what each passing rule read, for reports that show the
    // evidence of a pass (HTML). Off by default: it costs a second
    // evaluation of every rule that passes.
    bool pass_evidence = false;
};

// One Speech account and the storage account its userOwnedStorage names
// (none for a non-BYOS account), with everything rules read about them.
struct Subject
{
    // The facts and markers are allocated from `storage`.
    explicit Subject(boost::json::storage_ptr const& storage)
        : pair(storage), storage_marker(storage), blob_marker(storage)
    {
    }

    model::Resource const* speech = nullptr;
    model::Resource const* storage = nullptr; // when present
    std::string storage_id;                   // as written; may be empty
    model::Presence storage_presence = model::Presence::unknown;
    std::string storage_unknown; // why, when unknown
    Scenario scenario = Scenario::stt;
    std::string subscription; // lower-case GUID

    boost::json::value pair;                  // the pair.* facts
    boost::json::value const* blob = nullptr; // when present
    boost::json::value storage_marker;        // $unknown otherwise
    boost::json::value blob_marker;

    Roots roots() const;
};

// Builds the subject for `speech` and one entry of its userOwnedStorage
// (null for a non-BYOS account). `warnings` receives problems such as an
// unknown scenario tag. The facts are allocated from `storage`, which must
// outlive the subject.
Subject make_subject(model::Estate const& estate, model::Resource const& speech,
                     model::OwnedStorage const* owned,
                     AuditOptions const& options,
                     std::vector<std::string>& warnings,
                     boost::json::storage_ptr const& storage);

}
