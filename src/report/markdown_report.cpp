#include "report/report.hpp"

#include "model/arm_id.hpp"

#include <algorithm>
#include <array>

namespace byos::report {

namespace {

using engine::Status;

// Text from the estate, made inert in a Markdown table cell: Markdown
// syntax is escaped and HTML is written as entities.
std::string cell(std::string_view text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '\n':
        case '\r': out += ' '; break;
        case '|':
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '#':
            out += '\\';
            out += c;
            break;
        default: out += c;
        }
    }
    return out;
}

// GitHub caps a step summary at 1 MiB; a long table is cut with a note.
constexpr std::size_t max_rows = 500;

}

std::string markdown_report(Context const& c)
{
    auto const& r = c.result;
    auto const [by_level, suppressed, not_evaluated] = tally(c);

    std::string out = "## byos-audit: BYOS Speech audit\n\n";
    if (c.triage && c.triage->has_baseline())
        out += "Since the baseline: **" + change_counts(*c.triage) + "**.\n\n";
    if (!r.complete())
        out += "**The audit is incomplete**: what could not be read or "
               "evaluated is listed below, and none of it counts as "
               "compliant.\n\n";
    out += "| errors | warnings | notes | not evaluated | suppressed | "
           "checks passed |\n"
           "| ---: | ---: | ---: | ---: | ---: | ---: |\n";
    out += "| " + std::to_string(by_level[2]) + " | " +
           std::to_string(by_level[1]) + " | " + std::to_string(by_level[0]) +
           " | " + std::to_string(not_evaluated) + " | " +
           std::to_string(suppressed) + " | " +
           std::to_string(r.count(Status::passed)) + " |\n";

    std::size_t rows = 0;
    std::string failed, unevaluated;
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
        auto const& f = r.findings[i];
        if (rows++ == max_rows)
            break;
        auto const& rule = c.catalog.rules()[f.rule];
        auto const name = cell(model::last_segment(f.primary.id));
        auto const t = c.triage_of(i);
        std::string level = engine::to_string(f.level);
        if (t.suppression)
            level = "suppressed " + level;
        if (t.baseline == triage::BaselineState::new_)
            level += " (new)";
        if (f.status == Status::failed)
            failed += "| " + level + " | " + rule.id + " | " + name + " | " +
                      cell(f.message) + " |\n";
        else
            unevaluated +=
                "- " + rule.id + " on " + name + ": " + cell(f.reason) + "\n";
    }
    if (!failed.empty())
        out += "\n### Findings\n\n| level | rule | resource | message |\n"
               "| --- | --- | --- | --- |\n" +
               failed;
    if (!unevaluated.empty())
        out += "\n### Not evaluated\n\n" + unevaluated;
    if (r.findings.size() > max_rows)
        out += "\n_" + std::to_string(r.findings.size() - max_rows) +
               " more findings are in the SARIF and JSON reports._\n";

    if (!r.gaps.empty() || r.nothing_to_audit) {
        out += "\n### Not audited\n\n";
        for (auto const& gap : r.gaps)
            out += "- " + cell(gap.describe()) + "\n";
        if (r.nothing_to_audit)
            out += "- the input holds no SpeechServices account\n";
    }

    auto const pairs = static_cast<std::size_t>(
        std::count_if(r.subjects.begin(), r.subjects.end(),
                      [](auto const& s) { return !s.storage_id.empty(); }));
    out += "\n<sub>byos-audit " BYOS_AUDIT_VERSION " · scenario " +
           std::string(engine::to_string(c.options.scenario)) + " · " +
           std::to_string(r.subjects.size()) + " Speech accounts, " +
           std::to_string(pairs) + " BYOS pairs · " +
           std::to_string(c.catalog.rules().size()) + " rules</sub>\n";
    return out;
}

}
