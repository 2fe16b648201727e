// The command line as users and pipelines meet it: exit codes they gate on,
// report formats, atomic output, and the rules command.

#include "support/fixture.hpp"
#include "support/run.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>

namespace bj = boost::json;
namespace fs = std::filesystem;
using namespace byos::test;

namespace {

// Writes a patched base pair to a file and returns its path.
std::string estate_file(std::string const& dir, std::string const& name,
                        bj::object const& patch = {})
{
    auto const path = dir + "/" + name;
    write_text(path, base_snapshot(patch));
    return path;
}

bj::object const note_only = {
    {"blobService",
     {{"properties", {{"deleteRetentionPolicy", {{"enabled", false}}}}}}}};

}

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(a_compliant_pair_exits_0)
{
    auto const dir = make_temp_dir();
    auto const run = run_tool({"check", estate_file(dir, "ok.json")});
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(run.out.find("1 Speech account (1 BYOS pair) audited") !=
               std::string::npos);
    BOOST_TEST(run.out.find("0 errors, 0 warnings, 0 notes, 0 not "
                            "evaluated") != std::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(fail_on_sets_the_threshold)
{
    auto const dir = make_temp_dir();
    auto const file = estate_file(dir, "note.json", note_only);

    // BYOS034 is a note: below the default threshold (warning).
    BOOST_TEST(run_tool({"check", file}).exit_code == 0);
    BOOST_TEST(run_tool({"check", file, "--fail-on", "note"}).exit_code == 1);
    BOOST_TEST(run_tool({"check", file, "--fail-on", "error"}).exit_code == 0);

    auto const error = estate_file(
        dir, "error.json",
        {{"storage", {{"properties", {{"allowSharedKeyAccess", true}}}}}});
    BOOST_TEST(run_tool({"check", error}).exit_code == 1);
    BOOST_TEST(run_tool({"check", error, "--fail-on", "never"}).exit_code == 0);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(an_incomplete_audit_exits_3_even_with_findings)
{
    auto const dir = make_temp_dir();
    auto const file = estate_file(
        dir, "gap.json",
        {{"storage", {{"properties", {{"allowSharedKeyAccess", true}}}}},
         {"collections", {{"roleAssignments", nullptr}}}});
    auto const run = run_tool({"check", file});
    BOOST_TEST(run.exit_code == 3);
    BOOST_TEST(run.out.find("not evaluated: ") != std::string::npos);
    BOOST_TEST(run.out.find("[BYOS004]") != std::string::npos);
    BOOST_TEST(run.out.find("The audit is incomplete") != std::string::npos);
    // --fail-on never does not hide an incomplete audit.
    BOOST_TEST(run_tool({"check", file, "--fail-on", "never"}).exit_code == 3);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(an_input_without_speech_accounts_is_not_clean)
{
    auto const dir = make_temp_dir();
    write_text(dir + "/storage.json",
               R"({"id": "/subscriptions/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0)"
               R"(/resourceGroups/rg/providers/Microsoft.Storage)"
               R"(/storageAccounts/st",
                   "type": "Microsoft.Storage/storageAccounts",
                   "properties": {}})");
    auto const run = run_tool({"check", dir + "/storage.json"});
    BOOST_TEST(run.exit_code == 3);
    BOOST_TEST(run.out.find("not audited: the input holds no "
                            "SpeechServices account") != std::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(json_report_holds_findings_and_summary)
{
    auto const dir = make_temp_dir();
    auto const file = estate_file(dir, "note.json", note_only);
    auto const run = run_tool({"check", file, "--format", "json"});
    auto const report = bj::parse(run.out).as_object();
    BOOST_TEST(report.at("complete").as_bool());
    BOOST_TEST(report.at("summary").at("failed").as_int64() == 1);
    auto const& finding = report.at("findings").at(0).as_object();
    BOOST_TEST(finding.at("ruleId").as_string() == "BYOS034");
    BOOST_TEST(finding.at("status").as_string() == "failed");
    BOOST_TEST(finding.at("resource").at("kind").as_string() == "storage");
    // The snapshot is one line here; the column points into it.
    BOOST_TEST(finding.at("resource").at("line").as_int64() == 1);
    BOOST_TEST(finding.at("resource").at("column").as_int64() > 1000);
    BOOST_TEST(finding.at("related").at("kind").as_string() == "speech");
    BOOST_TEST(!finding.at("evidence").as_array().empty());
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(sarif_report_is_2_1_0_with_rules_and_locations)
{
    auto const dir = make_temp_dir();
    auto const file = estate_file(dir, "note.json", note_only);
    auto const out = dir + "/out.sarif";
    auto const run =
        run_tool({"check", file, "--format", "sarif", "--output", out});
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(run.out.empty());

    auto const sarif = bj::parse(read_text(out)).as_object();
    BOOST_TEST(sarif.at("version").as_string() == "2.1.0");
    auto const& run0 = sarif.at("runs").at(0).as_object();
    auto const& rules = run0.at("tool").at("driver").at("rules").as_array();
    BOOST_TEST(rules.size() == 27u);
    auto const& result = run0.at("results").at(0).as_object();
    BOOST_TEST(result.at("ruleId").as_string() == "BYOS034");
    auto const index = result.at("ruleIndex").as_int64();
    BOOST_TEST(rules.at(static_cast<std::size_t>(index)).at("id").as_string() ==
               "BYOS034");
    auto const& location = result.at("locations").at(0);
    BOOST_TEST(location.at("physicalLocation")
                   .at("artifactLocation")
                   .at("uri")
                   .as_string()
                   .find("note.json") != bj::string::npos);
    BOOST_TEST(location.at("logicalLocations").at(0).at("kind").as_string() ==
               "resource");
    BOOST_TEST(
        run0.at("invocations").at(0).at("executionSuccessful").as_bool());
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(not_evaluated_rules_are_sarif_notifications)
{
    auto const dir = make_temp_dir();
    auto const file = estate_file(
        dir, "gap.json", {{"collections", {{"blobServices", nullptr}}}});
    auto const run = run_tool({"check", file, "--format", "sarif"});
    BOOST_TEST(run.exit_code == 3);
    auto const sarif = bj::parse(run.out);
    auto const& invocation = sarif.at("runs").at(0).at("invocations").at(0);
    BOOST_TEST(!invocation.at("executionSuccessful").as_bool());
    auto const& notes = invocation.at("toolExecutionNotifications").as_array();
    BOOST_TEST(notes.size() >= 3u); // BYOS017, BYOS019, BYOS034
    BOOST_TEST(bj::serialize(notes).find("BYOS034 not evaluated") !=
               std::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(text_report_has_no_color_when_not_a_terminal)
{
    auto const dir = make_temp_dir();
    auto const run =
        run_tool({"check", estate_file(dir, "n.json", note_only), "-v"});
    BOOST_TEST(run.out.find('\033') == std::string::npos);
    BOOST_TEST(run.out.find("n.json:") != std::string::npos);
    BOOST_TEST(run.out.find("note: ") != std::string::npos);
    BOOST_TEST(run.out.find("[BYOS034]") != std::string::npos);
    BOOST_TEST(run.out.find("fix: az ") != std::string::npos);
    BOOST_TEST(run.out.find("read blobService.properties."
                            "deleteRetentionPolicy.enabled = false") !=
               std::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(text_report_is_colored_on_a_terminal_unless_no_color)
{
    auto const dir = make_temp_dir();
    auto const file = estate_file(dir, "n.json", note_only);

    auto const colored = run_tool_on_terminal({"check", file});
    BOOST_TEST(colored.exit_code == 0);
    BOOST_TEST(colored.out.find("\033[") != std::string::npos);
    BOOST_TEST(colored.out.find("[BYOS034]") != std::string::npos);

    auto const plain = run_tool_on_terminal({"check", file}, {"NO_COLOR=1"});
    BOOST_TEST(plain.exit_code == 0);
    BOOST_TEST(plain.out.find("\033[") == std::string::npos);
    BOOST_TEST(plain.out.find("[BYOS034]") != std::string::npos);

    // A report written to a file has no color, terminal or not.
    auto const out = dir + "/report.txt";
    BOOST_TEST(run_tool_on_terminal({"check", file, "-o", out}).exit_code == 0);
    BOOST_TEST(read_text(out).find('\033') == std::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(output_to_a_device_writes_in_place)
{
    auto const dir = make_temp_dir();
    auto const run =
        run_tool({"check", estate_file(dir, "ok.json"), "-o", "/dev/null"});
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(fs::is_character_file("/dev/null"));
    BOOST_TEST(
        run_tool({"check", estate_file(dir, "ok.json"), "-o", dir}).exit_code ==
        2);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(several_formats_go_to_a_folder_under_fixed_names)
{
    auto const dir = make_temp_dir();
    auto const file = estate_file(dir, "n.json", note_only);
    auto const out = dir + "/reports";
    auto const run =
        run_tool({"check", file, "--format",
                  "sarif,json,html,markdown,junit,text", "-o", out});
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(run.out.empty());
    for (auto const* name :
         {"byos-audit.sarif", "byos-audit.json", "byos-audit.html",
          "byos-audit.md", "byos-audit.junit.xml", "byos-audit.txt"})
        BOOST_TEST(fs::is_regular_file(out + "/" + name), name);
    BOOST_TEST(bj::parse(read_text(out + "/byos-audit.sarif"))
                   .at("version")
                   .as_string() == "2.1.0");

    BOOST_TEST(run_tool({"check", file, "--format", "json,sarif"})
                   .err.find("several formats need --output DIR") !=
               std::string::npos);
    BOOST_TEST(run_tool({"check", file, "--format", "json,json", "-o", out})
                   .exit_code == 2);
    BOOST_TEST(run_tool({"check", file, "--format", "json,pdf", "-o", out})
                   .exit_code == 2);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(markdown_and_junit_make_estate_text_inert)
{
    auto const dir = make_temp_dir();
    // A hostile Speech account name, and a finding that names it.
    auto const file =
        estate_file(dir, "hostile.json",
                    {{"speech",
                      {{"name", "<script>alert(1)</script>|*x*"},
                       {"properties", {{"disableLocalAuth", false}}}}}});

    auto const md = run_tool({"check", file, "--format", "markdown"});
    BOOST_TEST(md.exit_code == 0);
    BOOST_TEST(md.out.find("<script>") == std::string::npos);
    BOOST_TEST(md.out.find("&lt;script&gt;") != std::string::npos);
    BOOST_TEST(md.out.find("\\|\\*x\\*") != std::string::npos);
    BOOST_TEST(md.out.find("| note | BYOS033 |") != std::string::npos);

    auto const junit = run_tool({"check", file, "--format", "junit"});
    BOOST_TEST(junit.out.find("<script>") == std::string::npos);
    BOOST_TEST(junit.out.rfind("<?xml version=\"1.0\"", 0) == 0u);
    auto const count = [&](std::string const& what) {
        std::size_t n = 0;
        for (auto at = junit.out.find(what); at != std::string::npos;
             at = junit.out.find(what, at + 1))
            ++n;
        return n;
    };
    // 23 rules apply to the base pair; BYOS033 fails.
    BOOST_TEST(count("<testcase ") == 23u);
    BOOST_TEST(count("<failure ") == 1u);
    BOOST_TEST(junit.out.find("tests=\"23\" failures=\"1\" errors=\"0\"") !=
               std::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(reports_are_reproducible_with_source_date_epoch)
{
    auto const dir = make_temp_dir();
    auto const file = estate_file(dir, "n.json", note_only);
    std::vector<std::string> const env{"SOURCE_DATE_EPOCH=1796256000"};
    auto const first = run_tool({"check", file, "--format", "sarif"}, env);
    auto const second = run_tool({"check", file, "--format", "sarif"}, env);
    BOOST_TEST(first.out == second.out);
    BOOST_TEST(first.out.find("\"startTimeUtc\": \"2026-12-03T00:00:00Z\"") !=
               std::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(sarif_category_passes_and_stable_fingerprints)
{
    auto const dir = make_temp_dir();
    auto const file = estate_file(
        dir, "two.json",
        {{"storage", {{"properties", {{"allowSharedKeyAccess", true}}}}},
         {"blobService",
          {{"properties",
            {{"deleteRetentionPolicy", {{"enabled", false}}}}}}}});
    auto const sarif = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"check", file, "--format", "sarif"};
        args.insert(args.end(), extra.begin(), extra.end());
        return bj::parse(run_tool(args).out).at("runs").at(0).as_object();
    };

    auto const plain = sarif({});
    BOOST_TEST(!plain.contains("automationDetails"));
    auto const& results = plain.at("results").as_array();
    BOOST_REQUIRE(results.size() == 2u); // BYOS008 and BYOS034
    auto const hash = [](bj::value const& r) {
        return r.at("partialFingerprints").at("primaryLocationLineHash");
    };
    // Both findings are on the storage account, on one line of one file.
    BOOST_TEST(hash(results[0]) != hash(results[1]));
    BOOST_TEST(hash(results[0]) == hash(sarif({}).at("results").at(0)));

    auto const categorized = sarif({"--sarif-category", "prod"});
    BOOST_TEST(categorized.at("automationDetails").at("id").as_string() ==
               "prod/");

    auto const evidence = sarif({"--sarif-include-passes"});
    std::size_t passes = 0, not_applicable = 0;
    for (auto const& r : evidence.at("results").as_array()) {
        if (!r.as_object().contains("kind"))
            continue;
        passes += r.at("kind").as_string() == "pass";
        not_applicable += r.at("kind").as_string() == "notApplicable";
    }
    BOOST_TEST(passes == 21u);
    BOOST_TEST(not_applicable == 4u);
    auto const& command =
        evidence.at("invocations").at(0).at("commandLine").as_string();
    BOOST_TEST(command.find("--sarif-include-passes") != bj::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(sarif_past_github_limits_is_refused)
{
    // 1,000 Speech accounts without BYOS: 1,000 findings, and 26,000
    // results of rules that do not apply.
    auto const dir = make_temp_dir();
    bj::array accounts;
    for (int i = 0; i < 1000; ++i)
        accounts.push_back(bj::object{
            {"id", "/subscriptions/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0/"
                   "resourceGroups/rg/providers/"
                   "Microsoft.CognitiveServices/accounts/s" +
                       std::to_string(i)},
            {"type", "Microsoft.CognitiveServices/accounts"},
            {"kind", "SpeechServices"},
            {"location", "eastus"},
            {"properties", bj::object()}});
    write_text(dir + "/many.json", bj::serialize(accounts));

    auto const fine = run_tool({"check", dir + "/many.json", "--format",
                                "sarif", "-o", dir + "/ok.sarif"});
    BOOST_TEST(fine.exit_code == 1);
    auto const refused =
        run_tool({"check", dir + "/many.json", "--format", "sarif",
                  "--sarif-include-passes", "-o", dir + "/big.sarif"});
    BOOST_TEST(refused.exit_code == 2);
    BOOST_TEST(refused.err.find("27000 results, more than the 25,000") !=
               std::string::npos);
    BOOST_TEST(!fs::exists(dir + "/big.sarif"));
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(rules_lists_and_shows_the_catalog)
{
    auto const list = run_tool({"rules"});
    BOOST_TEST(list.exit_code == 0);
    BOOST_TEST(std::count(list.out.begin(), list.out.end(), '\n') == 27);

    auto const show = run_tool({"rules", "show", "BYOS010"});
    BOOST_TEST(show.exit_code == 0);
    for (auto const* part :
         {"Why it matters", "Fix with az", "az storage", "Fix in the portal",
          "Guidance", "https://learn.microsoft.com/"})
        BOOST_TEST(show.out.find(part) != std::string::npos, part);

    BOOST_TEST(run_tool({"rules", "show", "BYOS999"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(rules_from_a_folder_add_and_replace)
{
    auto const dir = make_temp_dir();
    auto rule = read_json(data_dir() + "/../rules/BYOS034.json");
    rule.as_object()["level"] = "error";
    write_text(dir + "/BYOS034.json", bj::serialize(rule));
    rule.as_object()["id"] = "BYOS900";
    write_text(dir + "/BYOS900.json", bj::serialize(rule));

    auto const estate_dir = make_temp_dir();
    auto const file = estate_file(estate_dir, "n.json", note_only);
    // BYOS034 is now an error, so the default threshold fails the run.
    auto const run = run_tool({"check", file, "--rules", dir});
    BOOST_TEST(run.exit_code == 1);
    BOOST_TEST(run.out.find("[BYOS900]") != std::string::npos);
    BOOST_TEST(run_tool({"rules", "--rules", dir}).out.find("BYOS900") !=
               std::string::npos);
    fs::remove_all(dir);
    fs::remove_all(estate_dir);
}

BOOST_AUTO_TEST_CASE(scan_help_and_version)
{
    // No credential at all (the metadata service is on a closed port).
    auto const scan = run_tool({"scan"});
    BOOST_TEST(scan.exit_code == 2);
    BOOST_TEST(scan.err.find("no credential found") != std::string::npos);
    BOOST_TEST(run_tool({"scan", "file.json"}).exit_code == 2);
    BOOST_TEST(run_tool({"check", "f.json", "--subscription", "s"})
                   .err.find("--subscription is for scan") !=
               std::string::npos);

    auto const help = run_tool({"--help"});
    BOOST_TEST(help.exit_code == 0);
    for (auto const* part :
         {"check", "rules show ID", "--scenario", "--speech-studio",
          "--fail-on", "Exit codes", "3  audit incomplete"})
        BOOST_TEST(help.out.find(part) != std::string::npos, part);
    BOOST_TEST(run_tool({"--version"}).out.rfind("byos-audit ", 0) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
