// Triage: which findings a suppression accepts (with expiry on both sides
// of the date, through an injected "today"), which suppressions warn, and
// how findings compare with a baseline SARIF.

#include "report/report.hpp"
#include "support/fixture.hpp"
#include "triage/triage.hpp"
#include "util/strings.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <map>

using namespace byos;
using namespace byos::test;
namespace bj = boost::json;

namespace {

char const* const storage_id =
    "/subscriptions/6d0e3c1a-5b7f-4c2e-9a84-1f3b2d7e9c10/resourceGroups/"
    "rg-speech/providers/Microsoft.Storage/storageAccounts/stspeechtest";

Document pair_document(std::string text)
{
    return {"pair.json", std::move(text), ""};
}

// The base pair with Shared Key on (BYOS008, error) and an old TLS
// version (BYOS031, warning).
std::unique_ptr<Audit> two_findings(bj::object extra = {})
{
    bj::object patch{{"storage",
                      {{"properties",
                        {{"allowSharedKeyAccess", true},
                         {"minimumTlsVersion", "TLS1_0"}}}}}};
    for (auto const& [k, v] : extra)
        patch[k] = v;
    return audit({pair_document(base_snapshot(patch))});
}

triage::Suppression suppression(std::string rule, std::string resource,
                                std::string expires)
{
    triage::Suppression s;
    s.rule = std::move(rule);
    s.resource = std::move(resource);
    s.expires = std::move(expires);
    s.justification = "accepted for the test";
    s.file = ".byos-audit.json";
    s.at = {7, 5};
    return s;
}

std::size_t index_of(Audit const& a, std::string const& rule)
{
    for (std::size_t i = 0; i < a.result.findings.size(); ++i)
        if (a.catalog.rules()[a.result.findings[i].rule].id == rule)
            return i;
    BOOST_FAIL("no finding of " + rule);
    return 0;
}

// The SARIF `check` would write for an audit, as a baseline.
triage::Baseline baseline_of(Audit const& a, triage::Triage const* t = nullptr)
{
    report::Context context{a.result, a.catalog, a.estate, {}, "", "", {}};
    context.triage = t;
    auto parsed =
        triage::parse_baseline(report::sarif_report(context), "old.sarif");
    BOOST_REQUIRE(parsed.has_value());
    return *parsed;
}

}

BOOST_AUTO_TEST_SUITE(triage_suite)

BOOST_AUTO_TEST_CASE(globs_match_within_and_across_segments)
{
    std::string const id = storage_id;
    BOOST_TEST(id_glob_match(id, id));
    BOOST_TEST(id_glob_match(to_lower(id) + "/", id)); // case, slashes
    BOOST_TEST(id_glob_match("/subscriptions/*/resourceGroups/rg-*/providers/"
                             "Microsoft.Storage/storageAccounts/*",
                             id));
    // `*` stays within a segment.
    BOOST_TEST(!id_glob_match("/subscriptions/*/storageAccounts/*", id));
    BOOST_TEST(id_glob_match("/subscriptions/**/storageAccounts/*", id));
    BOOST_TEST(id_glob_match("/subscriptions/**", id));
    BOOST_TEST(id_glob_match("**/stspeech*", id));
    // `**/` may stand for no segment at all.
    BOOST_TEST(
        id_glob_match("/subscriptions/**/resourceGroups/rg-speech/**", id));
    BOOST_TEST(!id_glob_match("/subscriptions/*/resourceGroups/other/**", id));
    BOOST_TEST(!id_glob_match(id + "2", id));
    BOOST_TEST(!id_glob_match("", id));
}

BOOST_AUTO_TEST_CASE(dates_must_be_real_calendar_days)
{
    BOOST_TEST(triage::valid_date("2027-01-31"));
    BOOST_TEST(triage::valid_date("2028-02-29"));
    BOOST_TEST(!triage::valid_date("2027-02-29"));
    BOOST_TEST(!triage::valid_date("2100-02-29"));
    BOOST_TEST(!triage::valid_date("2027-13-01"));
    BOOST_TEST(!triage::valid_date("2027-1-31"));
    BOOST_TEST(!triage::valid_date("31/01/2027"));
    BOOST_TEST(!triage::valid_date("2027-01-31T00:00"));
}

BOOST_AUTO_TEST_CASE(a_suppression_holds_through_its_expiry_day_only)
{
    auto const a = two_findings();
    std::vector<triage::Suppression> const s{
        suppression("BYOS008", "/subscriptions/*/resourceGroups/rg-speech/**",
                    "2027-01-31")};
    auto const i = index_of(*a, "BYOS008");

    for (auto const* day : {"2026-12-04", "2027-01-31"}) {
        auto const t = triage::triage(a->result, a->catalog, s, day, nullptr);
        BOOST_TEST(t.findings[i].suppression == &s[0]);
        BOOST_TEST(t.suppressed() == 1u);
        BOOST_TEST(t.notices.empty());
    }

    auto const t =
        triage::triage(a->result, a->catalog, s, "2027-02-01", nullptr);
    BOOST_TEST(!t.findings[i].suppression);
    BOOST_REQUIRE(t.notices.size() == 1u);
    BOOST_TEST(t.notices[0].level == "warning");
    BOOST_TEST(t.notices[0].message.find("expired on 2027-01-31") !=
               std::string::npos);
    BOOST_TEST(t.notices[0].message.find(".byos-audit.json:7") !=
               std::string::npos);
    BOOST_TEST(t.notices[0].message.find("counts again") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_suppression_needs_its_rule_and_its_resource)
{
    auto const a = two_findings();
    std::vector<triage::Suppression> const s{
        suppression("BYOS008", "/subscriptions/*/resourceGroups/other/**",
                    "2027-01-31"),
        suppression("byos031", storage_id, "2027-01-31"),
    };
    auto const t =
        triage::triage(a->result, a->catalog, s, "2026-12-04", nullptr);
    BOOST_TEST(!t.findings[index_of(*a, "BYOS008")].suppression);
    BOOST_TEST(t.findings[index_of(*a, "BYOS031")].suppression == &s[1]);
    // The first entry matches nothing: a warning, so it gets cleaned up.
    BOOST_REQUIRE(t.notices.size() == 1u);
    BOOST_TEST(t.notices[0].message.find("matches no finding") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(what_was_not_evaluated_is_never_suppressed)
{
    auto const a =
        two_findings({{"collections", {{"roleAssignments", nullptr}}}});
    std::vector<triage::Suppression> const s{
        suppression("BYOS004", "**", "2027-01-31")};
    auto const t =
        triage::triage(a->result, a->catalog, s, "2026-12-04", nullptr);
    auto const i = index_of(*a, "BYOS004");
    BOOST_TEST((a->result.findings[i].status == engine::Status::not_evaluated));
    BOOST_TEST(!t.findings[i].suppression);
    BOOST_TEST(t.notices.size() == 1u); // it matched nothing it may accept
}

BOOST_AUTO_TEST_CASE(baseline_states_are_new_unchanged_updated_and_absent)
{
    // Before: Shared Key (BYOS008) and TLS 1.0 (BYOS031).
    auto const before = two_findings();
    auto const baseline = baseline_of(*before);
    BOOST_TEST(baseline.results.size() == 2u);

    // Now: Shared Key is off, TLS is still old, public blob access is new,
    // and BYOS031 is an error by configuration: updated, not unchanged.
    auto now = audit({pair_document(
        base_snapshot({{"storage",
                        {{"properties",
                          {{"allowBlobPublicAccess", true},
                           {"minimumTlsVersion", "TLS1_0"}}}}}}))});
    BOOST_TEST(now->catalog.set_level("BYOS031", engine::Level::error));
    now->result = engine::audit(now->estate, now->catalog, {});
    auto const t =
        triage::triage(now->result, now->catalog, {}, "2026-12-04", &baseline);

    using triage::BaselineState;
    BOOST_TEST(t.has_baseline());
    BOOST_TEST((t.findings[index_of(*now, "BYOS007")].baseline ==
                BaselineState::new_));
    BOOST_TEST((t.findings[index_of(*now, "BYOS031")].baseline ==
                BaselineState::updated));
    BOOST_REQUIRE(t.absent.size() == 1u);
    BOOST_TEST(t.absent[0].rule_id == "BYOS008");
    BOOST_TEST(t.absent[0].resource == storage_id);
    BOOST_TEST(t.count(BaselineState::new_) == 1u);
    BOOST_TEST(t.count(BaselineState::absent) == 1u);

    // The same audit again: everything unchanged, nothing absent.
    auto const again = triage::triage(before->result, before->catalog, {},
                                      "2026-12-04", &baseline);
    BOOST_TEST(again.count(BaselineState::unchanged) == 2u);
    BOOST_TEST(again.absent.empty());
}

BOOST_AUTO_TEST_CASE(what_could_not_be_read_is_not_called_fixed)
{
    // Before: no Storage Blob Data Contributor (BYOS004, failed).
    auto const before = audit(
        {pair_document(base_snapshot({{"roleAssignments", bj::array{}}}))});
    auto const baseline = baseline_of(*before);
    BOOST_REQUIRE(baseline.results.size() == 1u);

    // Now the role assignments could not be read: BYOS004 is not
    // evaluated, so the old finding is neither fixed nor open.
    auto const now =
        two_findings({{"collections", {{"roleAssignments", nullptr}}}});
    auto const t =
        triage::triage(now->result, now->catalog, {}, "2026-12-04", &baseline);
    BOOST_TEST(t.absent.empty());

    // And a diff between the two SARIF files says the same.
    auto const later = baseline_of(*now);
    BOOST_TEST(!later.complete);
    auto const d = triage::diff(baseline, later);
    BOOST_TEST(d.fixed.empty());
    BOOST_TEST(d.unverified.size() == 1u);
}

BOOST_AUTO_TEST_CASE(diff_lists_new_fixed_and_open)
{
    auto const before = two_findings();
    auto const after = audit({pair_document(
        base_snapshot({{"storage",
                        {{"properties",
                          {{"allowBlobPublicAccess", true},
                           {"minimumTlsVersion", "TLS1_0"}}}}}}))});
    auto const d = triage::diff(baseline_of(*before), baseline_of(*after));
    BOOST_REQUIRE(d.added.size() == 1u);
    BOOST_TEST(d.added[0].rule_id == "BYOS007");
    BOOST_REQUIRE(d.fixed.size() == 1u);
    BOOST_TEST(d.fixed[0].rule_id == "BYOS008");
    BOOST_REQUIRE(d.open.size() == 1u);
    BOOST_TEST(d.open[0].rule_id == "BYOS031");
    BOOST_TEST(d.unverified.empty());

    auto const text = report::diff_report(d, "old.sarif", "new.sarif", false);
    BOOST_TEST(text.find("1 new, 1 fixed, 1 still open") != std::string::npos);
    auto const md = report::diff_report(d, "old.sarif", "new.sarif", true);
    BOOST_TEST(md.find("### New (1)") != std::string::npos);
    BOOST_TEST(md.find("| error | BYOS007 |") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_baseline_must_be_byos_audit_sarif)
{
    auto const bad = [](std::string const& text) {
        auto r = triage::parse_baseline(text, "b.sarif");
        BOOST_REQUIRE(!r.has_value());
        return r.error().describe();
    };
    BOOST_TEST(bad("{\"runs\": [}").find("b.sarif: line 1") == 0u);
    BOOST_TEST(bad("{\"version\": \"2.1.0\"}").find("no runs") !=
               std::string::npos);
    auto const other =
        bad("{\"runs\": [{\"tool\": {\"driver\": {\"name\": \"checkov\"}},\n"
            "\"results\": []}]}");
    BOOST_TEST(other.find("line 1") != std::string::npos);
    BOOST_TEST(other.find("not a byos-audit SARIF log") != std::string::npos);
    auto const unprinted =
        bad("{\"runs\": [{\"tool\": {\"driver\": {\"name\": \"byos-audit\"}},\n"
            "\"results\": [\n{\"ruleId\": \"BYOS008\"}]}]}");
    BOOST_TEST(unprinted.find("line 3") != std::string::npos);
    BOOST_TEST(unprinted.find("fingerprint") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sarif_carries_suppressions_and_baseline_states)
{
    auto const before = two_findings();
    auto const baseline = baseline_of(*before);
    auto const now = audit({pair_document(
        base_snapshot({{"storage",
                        {{"properties",
                          {{"allowBlobPublicAccess", true},
                           {"minimumTlsVersion", "TLS1_0"}}}}}}))});
    std::vector<triage::Suppression> s{
        suppression("BYOS031", storage_id, "2027-01-31")};
    s[0].owner = "platform-team";
    auto const t =
        triage::triage(now->result, now->catalog, s, "2026-12-04", &baseline);
    report::Context context{now->result, now->catalog, now->estate, {},
                            "",          "",           {}};
    context.triage = &t;
    auto const log = bj::parse(report::sarif_report(context));
    auto const& results = log.at("runs").at(0).at("results").as_array();
    BOOST_REQUIRE(results.size() == 3u);
    std::map<std::string, bj::object> by_rule;
    for (auto const& r : results)
        by_rule[std::string(r.at("ruleId").as_string())] = r.as_object();
    BOOST_TEST(by_rule["BYOS007"].at("baselineState") == "new");
    BOOST_TEST(by_rule["BYOS008"].at("baselineState") == "absent");
    auto const& accepted = by_rule["BYOS031"];
    BOOST_TEST(accepted.at("baselineState") == "unchanged");
    auto const& sup = accepted.at("suppressions").at(0);
    BOOST_TEST(sup.at("kind") == "external");
    BOOST_TEST(sup.at("status") == "accepted");
    BOOST_TEST(sup.at("justification") == "accepted for the test");
    BOOST_TEST(sup.at("properties").at("expires") == "2027-01-31");
    BOOST_TEST(sup.at("properties").at("owner") == "platform-team");

    // The GitHub profile leaves out what GitHub would show as open.
    context.sarif.drop_suppressed = true;
    context.sarif.drop_absent = true;
    auto const github = bj::parse(report::sarif_report(context));
    auto const& kept = github.at("runs").at(0).at("results").as_array();
    BOOST_REQUIRE(kept.size() == 1u);
    BOOST_TEST(kept[0].at("ruleId") == "BYOS007");
}

BOOST_AUTO_TEST_SUITE_END()
