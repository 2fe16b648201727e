#include "report/report.hpp"

#include <boost/json/monotonic_resource.hpp>

#include <array>

namespace byos::report {

namespace bj = boost::json;

namespace {

// Every part is built in the report's arena (`sp`): a large report is
// many small objects, and the arena makes them cheap to make and to drop.
bj::object resource(Context const& c, engine::ResourceRef const& r,
                    bj::storage_ptr const& sp)
{
    bj::object out({{"id", r.id}, {"kind", r.kind}}, sp);
    if (r.source.file < c.estate.files.size()) {
        out["file"] = c.estate.files[r.source.file];
        if (r.source.at.line) {
            out["line"] = r.source.at.line;
            out["column"] = r.source.at.column;
        }
    }
    return out;
}

bj::object finding(Context const& c, std::size_t index,
                   bj::storage_ptr const& sp)
{
    auto const& f = c.result.findings[index];
    auto const t = c.triage_of(index);
    auto const& rule = c.catalog.rules()[f.rule];
    bj::object out({{"ruleId", rule.id},
                    {"ruleName", rule.name},
                    {"status", engine::to_string(f.status)},
                    {"level", engine::to_string(f.level)},
                    {"scenario", engine::to_string(f.scenario)}},
                   sp);
    out["resource"] = resource(c, f.primary, sp);
    if (!f.related.id.empty())
        out["related"] = resource(c, f.related, sp);
    if (f.status == engine::Status::failed)
        out["message"] = f.message;
    else
        out["reason"] = f.reason;
    if (t.suppression) {
        bj::object accepted({{"justification", t.suppression->justification},
                             {"expires", t.suppression->expires},
                             {"declaredAt", t.suppression->declared_at()}},
                            sp);
        if (!t.suppression->owner.empty())
            accepted["owner"] = t.suppression->owner;
        out["suppressed"] = std::move(accepted);
    }
    if (t.baseline != triage::BaselineState::none)
        out["baselineState"] = triage::to_string(t.baseline);

    bj::array evidence(sp);
    for (auto const& e : f.evidence)
        evidence.push_back(bj::object(
            {{"field", e.field}, {"found", e.found}, {"test", e.expected}},
            sp));
    out["evidence"] = std::move(evidence);
    return out;
}

bj::object gap(model::Gap const& g)
{
    return bj::object{{"what", g.what},
                      {"scope", g.scope},
                      {"status", g.status},
                      {"code", g.code},
                      {"message", g.message}};
}

}

std::string json_report(Context const& c)
{
    auto const& r = c.result;
    bj::object summary{
        {"pairs", r.subjects.size()},
        {"rules", c.catalog.rules().size()},
        {"failed", r.count(engine::Status::failed)},
        {"passed", r.count(engine::Status::passed)},
        {"notEvaluated", r.count(engine::Status::not_evaluated)},
        {"notApplicable", r.count(engine::Status::not_applicable)},
    };
    auto const* t = c.triage;
    if (t)
        summary["suppressed"] = t->suppressed();
    if (t && t->has_baseline()) {
        using triage::BaselineState;
        summary["new"] = t->count(BaselineState::new_);
        summary["unchanged"] = t->count(BaselineState::unchanged);
        summary["updated"] = t->count(BaselineState::updated);
        summary["absent"] = t->count(BaselineState::absent);
        summary["unverified"] = t->unverified.size();
    }

    bj::array gaps;
    for (auto const& g : r.gaps)
        gaps.push_back(gap(g));
    if (r.nothing_to_audit)
        gaps.push_back(bj::object{
            {"what", "Speech accounts"},
            {"message", "the input holds no SpeechServices account and no "
                        "listing that proves there is none"}});

    bj::object report{
        {"tool",
         bj::object{{"name", "byos-audit"}, {"version", BYOS_AUDIT_VERSION}}},
        {"scenario", engine::to_string(c.options.scenario)},
        {"speechStudio", c.options.speech_studio},
        {"complete", r.complete()},
        {"summary", std::move(summary)},
        {"findings", bj::array()},
        {"notAudited", std::move(gaps)},
    };
    if (t && t->has_baseline()) {
        bj::array fixed;
        for (auto const& a : t->absent)
            fixed.push_back(bj::object{{"ruleId", a.rule_id},
                                       {"level", a.level},
                                       {"resource", a.resource},
                                       {"message", a.message}});
        report["baseline"] = t->baseline_file;
        report["fixed"] = std::move(fixed);
    }
    if (t && !t->notices.empty()) {
        bj::array notices;
        for (auto const& n : t->notices)
            notices.push_back(
                bj::object{{"level", n.level}, {"message", n.message}});
        report["notices"] = std::move(notices);
    }

    // The findings are streamed one by one between the parts around
    // them, each built in a scratch arena: a report of 100,000 findings
    // never exists twice in memory.
    auto text = pretty(report);
    constexpr std::string_view slot = "\"findings\": []";
    auto const at = text.find(slot);
    std::string out = text.substr(0, at) + "\"findings\": [";
    std::array<unsigned char, 16 * 1024> buffer;
    bj::monotonic_resource arena(buffer.data(), buffer.size());
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
        out += i ? ",\n    " : "\n    ";
        append_pretty(out, finding(c, i, &arena), 2);
        arena.release();
    }
    out += r.findings.empty() ? "]" : "\n  ]";
    out += text.substr(at + slot.size());
    return out;
}

}
