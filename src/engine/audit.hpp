#pragma once

// The audit: every rule of the catalog against every Speech account of the
// estate (and the storage account it names), giving one outcome per rule
// and pair, and a finding with its message and evidence for each rule that
// failed or could not be evaluated.

#include "engine/catalog.hpp"
#include "engine/pair_facts.hpp"
#include "model/estate.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace byos::engine {

enum class Status : unsigned char
{
    failed,
    passed,
    not_evaluated,
    not_applicable,
};

char const* to_string(Status status);

struct ResourceRef
{
    std::string id;
    std::string kind; // "speech", "storage", "subscription"
    model::Source source;
};

// A rule that failed on a pair, or could not be evaluated.
struct Finding
{
    std::uint16_t rule = 0; // index into Catalog::rules()
    Status status = Status::failed;
    Level level = Level::warning;
    Scenario scenario = Scenario::stt;
    ResourceRef primary;
    ResourceRef related; // empty id when there is none
    std::string message; // failed: the rendered message
    std::string reason;  // not evaluated: what was missing
    std::vector<Evidence> evidence;
};

// The verdict of one rule on one pair, kept compact: an estate of 100,000
// pairs has millions of these.
struct Outcome
{
    std::uint32_t subject = 0; // index into AuditResult::subjects
    std::uint16_t rule = 0;
    Status status = Status::passed;
};

struct SubjectSummary
{
    std::string speech_id;
    std::string storage_id; // empty for non-BYOS accounts
    model::Source speech_source;
    model::Source storage_source; // unknown when the account is missing
    Scenario scenario = Scenario::stt;
};

struct AuditResult
{
    std::vector<SubjectSummary> subjects;
    std::vector<Outcome> outcomes;
    std::vector<Finding> findings; // failed and not evaluated, deduplicated
    // With AuditOptions::pass_evidence: what each passed outcome read, by
    // its index in `outcomes`.
    std::unordered_map<std::size_t, std::vector<Evidence>> pass_evidence;
    std::vector<model::Gap> gaps;  // what could not be read at all
    std::vector<std::string> warnings;
    bool nothing_to_audit = false; // no Speech account, no listing

    std::size_t count(Status status) const;
    bool complete() const; // nothing unread, nothing unevaluated
};

AuditResult audit(model::Estate const& estate, Catalog const& catalog,
                  AuditOptions const& options);

}
