#include "report/report.hpp"

#include "model/arm_id.hpp"
#include "triage/triage.hpp"
#include "util/digest.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace byos::report {

namespace bj = boost::json;

namespace {

char const* sarif_level(engine::Level level)
{
    switch (level) {
    case engine::Level::error: return "error";
    case engine::Level::warning: return "warning";
    case engine::Level::note: return "note";
    }
    return "note";
}

// GitHub ranks security alerts by this score (0.0 to 10.0).
char const* security_severity(engine::Level level)
{
    switch (level) {
    case engine::Level::error: return "8.0";
    case engine::Level::warning: return "5.0";
    case engine::Level::note: return "2.0";
    }
    return "2.0";
}

// A URI for a path as the user gave it: relative when the path is.
std::string uri_of(std::string const& path)
{
    std::string out;
    for (unsigned char ch : path) {
        if (std::isalnum(ch) || ch == '/' || ch == '.' || ch == '-' ||
            ch == '_' || ch == '~') {
            out += static_cast<char>(ch);
        } else {
            char buffer[4];
            std::snprintf(buffer, sizeof buffer, "%%%02X", ch);
            out += buffer;
        }
    }
    while (out.rfind("./", 0) == 0)
        out.erase(0, 2);
    // A relative reference may not begin with a slash: an absolute path
    // is a file URI.
    if (!out.empty() && out.front() == '/')
        out = "file://" + out;
    return out;
}

bj::object rule_descriptor(engine::Rule const& rule)
{
    std::string markdown = rule.rationale + "\n\n**Fix with az:**\n\n```\n" +
                           rule.remediation_az +
                           "\n```\n\n**In the portal:**\n\n";
    std::string text = rule.rationale +
                       "\n\nFix with az: " + rule.remediation_az +
                       "\n\nIn the portal:\n";
    for (std::size_t i = 0; i < rule.remediation_portal.size(); ++i) {
        markdown +=
            std::to_string(i + 1) + ". " + rule.remediation_portal[i] + "\n";
        text +=
            std::to_string(i + 1) + ". " + rule.remediation_portal[i] + "\n";
    }
    markdown += "\nGuidance: [" + rule.guidance + "](" + rule.help_uri + ")";
    text += "\nGuidance: " + rule.guidance + " (" + rule.help_uri + ")";

    bj::array tags;
    for (auto const& tag : rule.tags)
        tags.emplace_back(tag);
    return bj::object{
        {"id", rule.id},
        {"name", rule.name},
        {"shortDescription", bj::object{{"text", rule.title}}},
        {"fullDescription", bj::object{{"text", rule.rationale}}},
        {"help", bj::object{{"text", text}, {"markdown", markdown}}},
        {"helpUri", rule.help_uri},
        {"defaultConfiguration",
         bj::object{{"level", sarif_level(rule.level)}}},
        {"properties",
         bj::object{{"tags", std::move(tags)},
                    {"security-severity", security_severity(rule.level)}}},
    };
}

bj::object location(Context const& c, engine::ResourceRef const& r)
{
    bj::object out{
        {"logicalLocations", bj::array{bj::object{{"fullyQualifiedName", r.id},
                                                  {"kind", "resource"}}}}};
    if (r.source.file < c.estate.files.size()) {
        bj::object physical{
            {"artifactLocation",
             bj::object{{"uri", uri_of(c.estate.files[r.source.file])}}}};
        auto const line = r.source.at.line ? r.source.at.line : 1;
        auto const column = r.source.at.line ? r.source.at.column : 1;
        physical["region"] =
            bj::object{{"startLine", line}, {"startColumn", column}};
        out["physicalLocation"] = std::move(physical);
    }
    return out;
}

bj::object fingerprints(engine::Rule const& rule, std::string const& primary,
                        std::string const& related);

bj::object result_object(Context const& c, engine::Finding const& f)
{
    auto const& rule = c.catalog.rules()[f.rule];
    bj::object out{
        {"ruleId", rule.id},
        {"ruleIndex", f.rule},
        {"level", sarif_level(f.level)},
        {"message", bj::object{{"text", f.message}}},
        {"locations", bj::array{location(c, f.primary)}},
    };
    if (!f.related.id.empty()) {
        // A storage account that does not exist has no JSON of its own;
        // its ID is written in the Speech account, which is where GitHub
        // is pointed instead, as it wants a file on every location.
        auto related_ref = f.related;
        if (related_ref.source.file >= c.estate.files.size())
            related_ref.source = f.primary.source;
        auto related = location(c, related_ref);
        related["id"] = 1;
        related["message"] =
            bj::object{{"text", "the " + f.related.kind + " of the pair"}};
        out["relatedLocations"] = bj::array{std::move(related)};
    }
    out["partialFingerprints"] = fingerprints(rule, f.primary.id, f.related.id);
    return out;
}

// An accepted finding stays in the log with the reason it is accepted;
// GitHub ignores this, which is what --github is for.
bj::object suppression_object(triage::Suppression const& s)
{
    bj::object properties{{"expires", s.expires},
                          {"declaredAt", s.declared_at()}};
    if (!s.owner.empty())
        properties["owner"] = s.owner;
    return bj::object{{"kind", "external"},
                      {"status", "accepted"},
                      {"justification", s.justification},
                      {"properties", std::move(properties)}};
}

// A finding of the baseline that is gone, written as it was with the
// state `absent`, so that reports show what was fixed.
bj::object absent_object(Context const& c, triage::BaselineResult const& r)
{
    auto out = r.original;
    out.erase("suppressions");
    out["baselineState"] = "absent";
    out.erase("ruleIndex");
    if (auto const* rule = c.catalog.find(r.rule_id))
        out["ruleIndex"] = rule - c.catalog.rules().data();
    return out;
}

// Stable across runs for the same rule and pair, whatever the message or
// the line: alerts do not churn when the input is reformatted. Findings
// that share a file (and a line) still differ.
bj::object fingerprints(engine::Rule const& rule, std::string const& primary,
                        std::string const& related)
{
    auto const hash = triage::fingerprint(rule.id, primary, related);
    return bj::object{{triage::fingerprint_key, hash},
                      {"primaryLocationLineHash", hash + ":1"}};
}

// With --sarif-include-passes: the evidence that a rule passed, or did not
// apply, on a pair.
bj::object outcome_object(Context const& c, engine::Outcome const& o)
{
    auto const& rule = c.catalog.rules()[o.rule];
    auto const& s = c.result.subjects[o.subject];
    engine::ResourceRef speech{s.speech_id, "speech", s.speech_source};
    engine::ResourceRef primary = speech, related;
    if (rule.resource == engine::Target::storage && !s.storage_id.empty()) {
        primary = {s.storage_id, "storage", s.storage_source};
        related = speech;
    } else if (rule.resource == engine::Target::subscription) {
        primary = {"/subscriptions/" + model::subscription_of(s.speech_id),
                   "subscription", s.speech_source};
        related = speech;
    }
    // A storage account that does not exist has no JSON of its own; the
    // Speech account that names it is the place to point at.
    if (primary.source.file >= c.estate.files.size())
        primary.source = s.speech_source;
    bool const passed = o.status == engine::Status::passed;
    bj::object out{
        {"ruleId", rule.id},
        {"ruleIndex", o.rule},
        {"kind", passed ? "pass" : "notApplicable"},
        {"level", "none"},
        {"message",
         bj::object{
             {"text", rule.id +
                          (passed ? " passed on " : " does not apply to ") +
                          std::string(model::last_segment(primary.id)) + ": " +
                          rule.title}}},
        {"locations", bj::array{location(c, primary)}},
    };
    out["partialFingerprints"] = fingerprints(rule, primary.id, related.id);
    return out;
}

}

std::string sarif_report(Context const& c)
{
    bj::array rules;
    for (auto const& rule : c.catalog.rules())
        rules.push_back(rule_descriptor(rule));

    bj::array results;
    bj::array notifications;
    for (std::size_t i = 0; i < c.result.findings.size(); ++i) {
        auto const& f = c.result.findings[i];
        auto const t = c.triage_of(i);
        if (f.status == engine::Status::failed) {
            if (t.suppression && c.sarif.drop_suppressed)
                continue;
            auto result = result_object(c, f);
            if (t.suppression)
                result["suppressions"] =
                    bj::array{suppression_object(*t.suppression)};
            if (t.baseline != triage::BaselineState::none)
                result["baselineState"] = triage::to_string(t.baseline);
            results.push_back(std::move(result));
            continue;
        }
        auto const& rule = c.catalog.rules()[f.rule];
        notifications.push_back(bj::object{
            {"level", "warning"},
            {"message",
             bj::object{{"text", rule.id + " not evaluated on " + f.primary.id +
                                     ": " + f.reason}}},
            {"associatedRule", bj::object{{"id", rule.id}, {"index", f.rule}}},
            {"locations", bj::array{location(c, f.primary)}},
            // So that a later diff knows this was not checked, not fixed.
            {"properties", bj::object{{triage::fingerprint_key,
                                       triage::fingerprint(c.catalog, f)}}},
        });
    }
    if (c.triage && !c.sarif.drop_absent)
        for (auto const& r : c.triage->absent)
            results.push_back(absent_object(c, r));
    bj::array configuration;
    if (c.triage)
        for (auto const& n : c.triage->notices) {
            bj::object note{{"level", n.level},
                            {"message", bj::object{{"text", n.message}}}};
            if (!n.file.empty())
                note["locations"] = bj::array{bj::object{
                    {"physicalLocation",
                     bj::object{{"artifactLocation",
                                 bj::object{{"uri", uri_of(n.file)}}},
                                {"region",
                                 bj::object{{"startLine",
                                             n.at.line ? n.at.line : 1}}}}}}};
            configuration.push_back(std::move(note));
        }
    if (c.sarif.include_passes)
        for (auto const& o : c.result.outcomes)
            if (o.status == engine::Status::passed ||
                o.status == engine::Status::not_applicable)
                results.push_back(outcome_object(c, o));
    for (auto const& gap : c.result.gaps)
        notifications.push_back(
            bj::object{{"level", "warning"},
                       {"message", bj::object{{"text", gap.describe()}}}});

    bj::object invocation{
        {"executionSuccessful", c.result.complete()},
        {"toolExecutionNotifications", std::move(notifications)},
    };
    if (!configuration.empty())
        invocation["toolConfigurationNotifications"] = std::move(configuration);
    std::string command_line = "byos-audit";
    bj::array arguments;
    for (auto const& a : c.arguments) {
        command_line += " " + a;
        arguments.emplace_back(a);
    }
    invocation["commandLine"] = command_line;
    invocation["arguments"] = std::move(arguments);
    if (!c.started.empty())
        invocation["startTimeUtc"] = c.started;
    if (!c.finished.empty())
        invocation["endTimeUtc"] = c.finished;

    bj::object driver{
        {"name", "byos-audit"},
        {"fullName", "byos-audit BYOS Speech and storage auditor"},
        {"version", BYOS_AUDIT_VERSION},
        {"semanticVersion", BYOS_AUDIT_VERSION},
        {"informationUri", "https://github.com/byos-audit/byos-audit"},
        {"rules", std::move(rules)},
    };

    bj::object run{
        {"tool", bj::object{{"driver", std::move(driver)}}},
        {"invocations", bj::array{std::move(invocation)}},
        {"results", std::move(results)},
        {"columnKind", "unicodeCodePoints"},
    };
    // One category a run, as GitHub tells runs of one tool apart.
    if (!c.sarif.category.empty())
        run["automationDetails"] = bj::object{{"id", c.sarif.category + "/"}};

    bj::object sarif{
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", bj::array{std::move(run)}},
    };
    return pretty(sarif);
}

Status check_sarif_limits(Context const& c)
{
    constexpr std::size_t github_max_results = 25000;
    auto results = static_cast<std::size_t>(std::count_if(
        c.result.findings.begin(), c.result.findings.end(),
        [](auto const& f) { return f.status == engine::Status::failed; }));
    if (c.sarif.include_passes)
        results += c.result.count(engine::Status::passed) +
                   c.result.count(engine::Status::not_applicable);
    if (results <= github_max_results)
        return std::nullopt;
    return Error{"", "",
                 "the SARIF report would hold " + std::to_string(results) +
                     " results, more than the 25,000 GitHub code scanning "
                     "accepts in a run; audit fewer files at a time" +
                     (c.sarif.include_passes
                          ? std::string(", or leave out "
                                        "--sarif-include-passes")
                          : std::string())};
}

}

namespace byos::report {

Status check_sarif_size(std::string_view sarif, std::size_t limit)
{
    if (sarif.size() + sarif.size() / 1000 + 64 <= limit)
        return std::nullopt;
    auto const size = gzipped_size(sarif);
    if (size <= limit)
        return std::nullopt;
    return Error{"", "",
                 "the SARIF report is " + std::to_string(size) +
                     " bytes gzipped, more than the " + std::to_string(limit) +
                     " GitHub code scanning accepts; audit fewer files at "
                     "a time"};
}

}
