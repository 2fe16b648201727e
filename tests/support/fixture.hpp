#pragma once

// Test support: builds estates from the base pair snapshot and small
// patches, and runs the engine on them exactly as `check` does.

#include "engine/audit.hpp"
#include "engine/catalog.hpp"
#include "model/estate.hpp"

#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <vector>

namespace byos::test {

// The tests/ folder of the source tree.
std::string data_dir();

boost::json::value read_json(std::string const& path);

// RFC 7386 merge patch: objects merge, `null` deletes a key, anything else
// replaces. The string "$null" writes a JSON null, which RFC 7386 cannot.
void merge_patch(boost::json::value& target, boost::json::value const& patch);

// Applies a rule case's patch to the base snapshot. Its keys name parts of
// the snapshot: speech, storage, blobService, feature, subscription (merged
// into that resource), roleAssignments and roleDefinitions (replace the
// list), collections (merged into the collections object).
void patch_snapshot(boost::json::value& snapshot,
                    boost::json::object const& patch);

struct Audit
{
    model::Estate estate;
    engine::Catalog catalog;
    engine::AuditResult result;
    std::vector<std::string> warnings;

    // The status of `rule` on the pair of the Speech account `speech` (the
    // first pair when empty).
    engine::Status status(std::string const& rule,
                          std::string const& speech = {}) const;
    // Findings (failed or not evaluated) of `rule`.
    std::vector<engine::Finding const*> findings(std::string const& rule) const;
};

struct Document
{
    std::string name;
    std::string text;
    std::string kind; // optional KIND= prefix
};

// Loads the documents and audits them; throws on a load error.
std::unique_ptr<Audit> audit(std::vector<Document> const& documents,
                             engine::AuditOptions options = {});

// The base pair snapshot, patched, serialized.
std::string base_snapshot(boost::json::object const& patch = {});

}
