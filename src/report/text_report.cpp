#include "report/report.hpp"

#include <algorithm>
#include <array>

namespace byos::report {

namespace {

using engine::Finding;
using engine::Level;
using engine::Status;

struct Paint
{
    bool on;

    std::string operator()(char const* code, std::string const& text) const
    {
        return on ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
    }
};

char const* level_color(Level level)
{
    switch (level) {
    case Level::error: return "1;31";
    case Level::warning: return "1;33";
    case Level::note: return "1;36";
    }
    return "0";
}

std::string plural(std::size_t n, char const* word)
{
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

void finding_lines(std::string& out, Context const& c, std::size_t index,
                   TextStyle style, Paint const& paint)
{
    auto const& f = c.result.findings[index];
    auto const t = c.triage_of(index);
    auto const& rule = c.catalog.rules()[f.rule];
    auto const location = where(c.estate, f.primary.source);
    if (!location.empty())
        out += paint("1", location + ":") + " ";

    if (t.baseline == triage::BaselineState::new_ ||
        t.baseline == triage::BaselineState::updated)
        out +=
            paint("1", std::string("[") + triage::to_string(t.baseline) + "]") +
            " ";
    if (f.status == Status::failed && t.suppression) {
        auto const& s = *t.suppression;
        out += paint("2",
                     std::string("suppressed ") + engine::to_string(f.level)) +
               ": " + f.message + " [" + rule.id + "]\n";
        out += "    accepted until " + s.expires +
               (s.owner.empty() ? "" : " by " + s.owner) + " (" +
               s.declared_at() + "): " + s.justification + "\n";
    } else if (f.status == Status::failed) {
        out += paint(level_color(f.level), engine::to_string(f.level)) + ": " +
               f.message + " [" + rule.id + "]\n";
    } else {
        out += paint("1;35", "not evaluated") + ": " + rule.title + " [" +
               rule.id + "]\n";
        out += "    because " + f.reason + "\n";
    }
    out += "    " + std::string(f.primary.kind) + ": " + f.primary.id + "\n";
    if (!style.verbose)
        return;

    if (!f.related.id.empty())
        out += "    related " + f.related.kind + ": " + f.related.id + "\n";
    out += "    scenario: " + std::string(engine::to_string(f.scenario)) + "\n";
    for (auto const& e : f.evidence)
        out += "    read " + e.field + " = " + e.found +
               " (test: " + e.expected + ")\n";
    if (f.status == Status::failed)
        out += "    fix: " + rule.remediation_az + "\n";
}

}

std::string text_report(Context const& c, TextStyle style)
{
    Paint const paint{style.color};
    auto const& result = c.result;
    std::string out;

    // Against a baseline, what changed comes first.
    if (c.triage && c.triage->has_baseline()) {
        auto const& t = *c.triage;
        out += "Since " + t.baseline_file + ": " + change_counts(t) + ".\n";
        for (auto const& a : t.absent)
            out += paint("1;32", "fixed") + ": " + a.message + " [" +
                   a.rule_id + "]\n    " + a.resource + "\n";
        for (auto const& a : t.unverified)
            out += paint("1;35", "not verified") + ": " + a.message + " [" +
                   a.rule_id + "]\n    " + a.resource +
                   "\n    because this audit could not read it\n";
        out += "\n";
    }

    for (std::size_t i = 0; i < result.findings.size(); ++i)
        finding_lines(out, c, i, style, paint);
    if (c.triage)
        for (auto const& n : c.triage->notices)
            out += paint(n.level == "warning" ? "1;33" : "1;36",
                         "configuration " + n.level) +
                   ": " + n.message + "\n";

    for (auto const& gap : result.gaps) {
        out += paint("1;35", "not audited") + ": " + gap.describe() + "\n";
    }
    if (result.nothing_to_audit)
        out += paint("1;35", "not audited") +
               ": the input holds no SpeechServices account and no "
               "listing that proves there is none\n";

    auto const [by_level, suppressed, not_evaluated] = tally(c);

    auto const pairs = static_cast<std::size_t>(
        std::count_if(result.subjects.begin(), result.subjects.end(),
                      [](auto const& s) { return !s.storage_id.empty(); }));
    out += "\n" + plural(result.subjects.size(), "Speech account") + " (" +
           plural(pairs, "BYOS pair") + ") audited against " +
           plural(c.catalog.rules().size(), "rule") + ": " +
           plural(by_level[2], "error") + ", " +
           plural(by_level[1], "warning") + ", " + plural(by_level[0], "note") +
           ", " + std::to_string(not_evaluated) + " not evaluated" +
           (suppressed ? ", " + std::to_string(suppressed) + " suppressed"
                       : std::string()) +
           "; " + std::to_string(result.count(Status::passed)) +
           " checks passed.\n";
    if (!result.complete())
        out += paint("1;35", "The audit is incomplete:") +
               " what could not be read or evaluated is listed above, "
               "and none of it counts as compliant.\n";
    return out;
}

}
