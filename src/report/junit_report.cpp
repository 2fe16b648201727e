#include "report/report.hpp"

#include "model/arm_id.hpp"

#include <map>

namespace byos::report {

namespace {

using engine::Status;

std::string xml(std::string_view text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            // XML 1.0 allows no control characters but tab and newlines.
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' ||
                c == '\n' || c == '\r')
                out += c;
        }
    }
    return out;
}

// The resource an outcome is about, as a finding would place it.
std::string primary_of(engine::Rule const& rule,
                       engine::SubjectSummary const& s)
{
    switch (rule.resource) {
    case engine::Target::storage: return s.storage_id;
    case engine::Target::subscription:
        return "/subscriptions/" + model::subscription_of(s.speech_id);
    case engine::Target::speech: return s.speech_id;
    }
    return s.speech_id;
}

struct Suite
{
    std::size_t tests = 0;
    std::size_t failures = 0;
    std::size_t errors = 0;
    std::size_t skipped = 0;
    std::string cases;
};

}

// One test suite per rule, one test case per pair the rule looked at:
// failed is a failure, not evaluated an error, passed a pass; rules that
// did not apply are left out.
std::string junit_report(Context const& c)
{
    auto const& r = c.result;
    std::map<std::pair<std::size_t, std::string>, engine::Finding const*>
        details;
    for (auto const& f : r.findings)
        details.emplace(
            std::pair(std::size_t{f.rule}, model::id_key(f.primary.id)), &f);

    std::vector<Suite> suites(c.catalog.rules().size());
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    for (auto const& o : r.outcomes) {
        if (o.status == Status::not_applicable)
            continue;
        auto const& rule = c.catalog.rules()[o.rule];
        auto const& subject = r.subjects[o.subject];
        auto const primary = primary_of(rule, subject);
        auto& suite = suites[o.rule];
        ++suite.tests;
        ++tests;

        std::string name(model::last_segment(primary));
        if (primary != subject.speech_id)
            name += " (Speech resource " +
                    std::string(model::last_segment(subject.speech_id)) + ")";
        suite.cases += "    <testcase classname=\"" + rule.id + "\" name=\"" +
                       xml(name) + "\"";
        if (o.status == Status::passed) {
            suite.cases += "/>\n";
            continue;
        }

        auto const it = details.find({o.rule, model::id_key(primary)});
        auto const* f = it == details.end() ? nullptr : it->second;
        bool const failed = o.status == Status::failed;
        // An accepted finding is a skipped test, with the reason.
        auto const t =
            f ? c.triage_of(static_cast<std::size_t>(f - r.findings.data()))
              : triage::FindingTriage{};
        if (failed && t.suppression) {
            suite.cases += ">\n      <skipped message=\"" +
                           xml("suppressed until " + t.suppression->expires +
                               ": " + t.suppression->justification) +
                           "\"/>\n    </testcase>\n";
            ++suite.skipped;
            ++skipped;
            continue;
        }
        auto const message = f ? (failed ? f->message : f->reason) : rule.title;
        suite.cases +=
            ">\n      <" + std::string(failed ? "failure" : "error") +
            " type=\"" +
            (failed ? engine::to_string(rule.level) : "notEvaluated") +
            "\" message=\"" + xml(message) + "\">" +
            xml(primary + "\n" + rule.remediation_az) + "</" +
            (failed ? "failure" : "error") + ">\n    </testcase>\n";
        ++(failed ? suite.failures : suite.errors);
        ++(failed ? failures : errors);
    }

    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites name=\"byos-audit\" tests=\"" + std::to_string(tests) +
           "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
           std::to_string(errors) + "\"" +
           (skipped ? " skipped=\"" + std::to_string(skipped) + "\""
                    : std::string()) +
           ">\n";
    for (std::size_t i = 0; i < suites.size(); ++i) {
        auto const& rule = c.catalog.rules()[i];
        auto const& suite = suites[i];
        out += "  <testsuite name=\"" + rule.id + " " + xml(rule.title) +
               "\" tests=\"" + std::to_string(suite.tests) + "\" failures=\"" +
               std::to_string(suite.failures) + "\" errors=\"" +
               std::to_string(suite.errors) + "\"" +
               (suite.skipped
                    ? " skipped=\"" + std::to_string(suite.skipped) + "\""
                    : std::string()) +
               ">\n" + suite.cases + "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

}
