#pragma once

// Triage sits between the audit and the reports: it decides which failed
// findings a suppression accepts, and how each finding compares with an
// earlier audit (a baseline). It never changes a finding; it annotates
// them, so every report shows the same decision.

#include "engine/audit.hpp"
#include "util/error.hpp"
#include "json/source_index.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace byos::triage {

// The stable key of a finding: the same rule on the same resource (and
// the same other resource of the pair) gives the same key in every run,
// whatever the message, the level or the line. SARIF results carry it as
// partialFingerprints["byosAuditFinding/v1"].
std::string fingerprint(std::string_view rule_id, std::string_view primary,
                        std::string_view related);
std::string fingerprint(engine::Catalog const& catalog,
                        engine::Finding const& finding);

inline constexpr char const* fingerprint_key = "byosAuditFinding/v1";

// An accepted exception, as the configuration file declares it.
struct Suppression
{
    std::string rule;     // a rule ID
    std::string resource; // an ARM ID or a glob over IDs
    std::string justification;
    std::string expires; // YYYY-MM-DD: suppresses up to and including it
    std::string owner;   // may be empty
    std::string file;    // where it is declared
    json::Position at;

    // "FILE:LINE", for notifications.
    std::string declared_at() const;
};

// True when `date` is a real calendar date written YYYY-MM-DD.
bool valid_date(std::string_view date);

// How a finding compares with the baseline, in SARIF's words.
enum class BaselineState : unsigned char
{
    none, // no baseline was given
    new_,
    unchanged,
    updated, // the same rule and resource, another level or message
    absent,  // in the baseline, gone now
};

char const* to_string(BaselineState state);

// One result of an earlier byos-audit SARIF file.
struct BaselineResult
{
    std::string fingerprint;
    std::string rule_id;
    std::string level;
    std::string message;
    std::string resource;         // the logical location, when there is one
    bool suppressed = false;      // it carried a suppression
    boost::json::object original; // the SARIF result as it was written
};

struct Baseline
{
    std::string file;
    std::vector<BaselineResult> results; // open findings only
    // Fingerprints of what that run could not evaluate.
    std::vector<std::string> not_evaluated;
    bool complete = true; // invocations[0].executionSuccessful
};

// Reads an earlier byos-audit SARIF file. Results of kind pass or
// notApplicable, and results already marked absent, are left out. An
// Error names the file and the place when it is not a byos-audit SARIF
// log.
Result<Baseline> read_baseline(std::string const& path);
Result<Baseline> parse_baseline(std::string_view text, std::string const& path);

// Something about the configuration a report should show: a suppression
// that ran out or matched nothing.
struct Notice
{
    std::string level; // "warning" or "note"
    std::string message;
    std::string file;
    json::Position at;
};

struct FindingTriage
{
    Suppression const* suppression = nullptr; // when accepted
    BaselineState baseline = BaselineState::none;
};

struct Triage
{
    std::vector<FindingTriage> findings; // one per AuditResult::findings
    std::vector<BaselineResult> absent;  // fixed since the baseline
    // Baseline findings on resources an incomplete audit did not reach:
    // neither open nor fixed, as far as anyone can tell.
    std::vector<BaselineResult> unverified;
    std::vector<Notice> notices;
    std::string baseline_file; // empty without a baseline

    bool has_baseline() const { return !baseline_file.empty(); }
    std::size_t count(BaselineState state) const; // open findings only
    std::size_t suppressed() const;
};

// What changed between two byos-audit SARIF reports, matched by
// fingerprint.
struct Diff
{
    std::vector<BaselineResult> added; // open now, not before
    std::vector<BaselineResult> fixed; // open before, not now
    std::vector<BaselineResult> open;  // open in both (as they are now)
    // Open before, and not evaluated now, or gone from an audit that
    // was incomplete: nobody knows whether they were fixed.
    std::vector<BaselineResult> unverified;
};

Diff diff(Baseline const& before, Baseline const& after);

// Annotates `result`'s findings. A suppression accepts a failed finding
// when its rule matches and its resource pattern matches the finding's
// primary resource, until the end of its expiry date; `today` is
// YYYY-MM-DD. Findings that were not evaluated are never suppressed.
// With a baseline, each failed finding is new, unchanged or updated, and
// each baseline result with no counterpart is absent, unless the rule
// could not be evaluated on that resource this time.
Triage triage(engine::AuditResult const& result, engine::Catalog const& catalog,
              std::vector<Suppression> const& suppressions,
              std::string const& today, Baseline const* baseline);

}
