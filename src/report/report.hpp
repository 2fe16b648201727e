#pragma once

// Reports turn an AuditResult into text for terminals, JSON for scripts,
// SARIF 2.1.0 for code scanning and HTML for people. They are pure functions
// from the result to a string; writing is done once, atomically, by the caller.

#include "engine/audit.hpp"
#include "engine/catalog.hpp"
#include "model/estate.hpp"
#include "triage/triage.hpp"
#include "util/error.hpp"

#include <boost/json/value.hpp>

#include <array>
#include <string>
#include <vector>

namespace byos::report {

enum class Format
{
    text,
    json,
    sarif,
    markdown, // for $GITHUB_STEP_SUMMARY and pull request comments
    junit,    // for the Azure Pipelines test tab
    html,     // one self-contained page for people
};

// The fixed file name of a format when several are written to a folder.
char const* file_name(Format format);

struct SarifOptions
{
    std::string category;         // automationDetails.id, when set
    bool include_passes = false;  // results of kind pass, notApplicable
    bool drop_suppressed = false; // leave accepted findings out
    bool drop_absent = false;     // leave out what the baseline had
};

struct Context
{
    engine::AuditResult const& result;
    engine::Catalog const& catalog;
    model::Estate const& estate;
    engine::AuditOptions options;
    std::string started; // ISO 8601 UTC
    std::string finished;
    std::vector<std::string> arguments; // the command line, secret-free
    SarifOptions sarif = {};
    // Suppressions and baseline states, one per finding; none when the
    // caller did not triage (every finding then counts, none is new).
    triage::Triage const* triage = nullptr;

    triage::FindingTriage triage_of(std::size_t finding) const
    {
        return triage ? triage->findings[finding] : triage::FindingTriage{};
    }
};

struct TextStyle
{
    bool color = false;
    bool verbose = false; // evidence and reasons for every finding
};

std::string text_report(Context const& context, TextStyle style);
std::string json_report(Context const& context);
std::string sarif_report(Context const& context);

// GitHub code scanning rejects a run with more than 25,000 results; the
// error says so before a file is written that would be rejected.
Status check_sarif_limits(Context const& context);

// GitHub code scanning rejects a SARIF file larger than 10 MB gzipped.
inline constexpr std::size_t github_max_gzipped = 10'000'000;

// An error when `sarif` is larger than `limit` bytes gzipped. Text too
// short to reach the limit is not compressed: deflate grows the worst
// input by a few bytes a 64 KB block, plus gzip's 18-byte frame.
Status check_sarif_size(std::string_view sarif,
                        std::size_t limit = github_max_gzipped);
std::string markdown_report(Context const& context);
std::string junit_report(Context const& context);
std::string html_report(Context const& context);

std::string render(Format format, Context const& context, TextStyle style);

// The findings as the summaries of every report count them: failed ones
// by level (note, warning, error) unless a suppression accepts them.
struct Tally
{
    std::array<std::size_t, 3> by_level{};
    std::size_t suppressed = 0;
    std::size_t not_evaluated = 0;
};
Tally tally(Context const& context);

// "2 new, 1 fixed, 5 unchanged" (`open_word` names the third count),
// with ", 1 not verified" when there are such findings.
std::string change_counts(std::size_t added, std::size_t fixed,
                          std::size_t open, char const* open_word,
                          std::size_t unverified);
// The same for an audit against its baseline.
std::string change_counts(triage::Triage const& triaged);

// `byos-audit diff`: what is new, fixed and still open between the SARIF
// reports `before` and `after`, as text or Markdown.
std::string diff_report(triage::Diff const& diff, std::string const& before,
                        std::string const& after, bool markdown);

// JSON with two-space indentation and a final newline, keys in insertion
// order: reports are read by people and diffed in pull requests.
std::string pretty(boost::json::value const& value);

// The pieces of `pretty`, for reports that stream a long array instead of
// holding it: a value printed as if nested `depth` levels deep, and a
// string literal.
void append_pretty(std::string& out, boost::json::value const& value,
                   int depth);
void append_json_string(std::string& out, std::string_view text);

// "path:line:column", or the path alone when the line is unknown.
std::string where(model::Estate const& estate, model::Source const& source);

}
