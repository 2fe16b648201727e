// The configuration file and the BYOS_AUDIT_ variables: precedence, where
// the file is found, every mistake in it, and what suppressions,
// baselines and diff do to the exit code a pipeline gates on.

#include "cli/options.hpp"
#include "support/fixture.hpp"
#include "support/run.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>

namespace bj = boost::json;
namespace fs = std::filesystem;
using namespace byos;
using namespace byos::test;

namespace {

cli::Environment
environment_in(std::string const& dir,
               std::vector<std::pair<std::string, std::string>> vars = {})
{
    cli::Environment env;
    env.directory = dir;
    env.variables = std::move(vars);
    env.today = "2026-12-04";
    return env;
}

std::string source_of(cli::Options const& o, std::string const& option)
{
    for (auto const& s : o.settings)
        if (s.option == option)
            return s.source;
    return "(unlisted)";
}

// The error a configuration gives, or "" when it is accepted.
std::string config_error(std::string const& text)
{
    auto const dir = make_temp_dir();
    write_text(dir + "/c.json", text);
    auto const options = cli::parse_options(
        {"check", "x.json", "--config", dir + "/c.json"}, environment_in(dir));
    fs::remove_all(dir);
    return options ? "" : options.error().describe();
}

char const* const storage_id =
    "/subscriptions/6d0e3c1a-5b7f-4c2e-9a84-1f3b2d7e9c10/resourceGroups/"
    "rg-speech/providers/Microsoft.Storage/storageAccounts/stspeechtest";

// The base pair with Shared Key allowed: one error, BYOS008.
std::string shared_key_estate(std::string const& dir)
{
    auto const path = dir + "/estate.json";
    write_text(
        path,
        base_snapshot(
            {{"storage", {{"properties", {{"allowSharedKeyAccess", true}}}}}}));
    return path;
}

std::string suppressing_config(std::string const& expires)
{
    return R"({
  // accepted until the storage account moves
  "suppressions": [
    {
      "rule": "BYOS008",
      "resource": "/subscriptions/*/resourceGroups/rg-speech/**",
      "justification": "legacy uploader needs Shared Key until March",
      "expires": ")" +
           expires + R"(",
      "owner": "platform-team",
    },
  ],
})";
}

// 2027-01-31T12:00:00Z and 2027-02-01T12:00:00Z, for the clock.
std::string const on_expiry_day = "SOURCE_DATE_EPOCH=1801396800";
std::string const day_after = "SOURCE_DATE_EPOCH=1801483200";

}

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(command_line_then_environment_then_file_then_default)
{
    auto const dir = make_temp_dir();
    write_text(dir + "/.byos-audit.json", R"({
  "scenario": "tts",
  "fail-on": "note",
  "speech-studio": true,
  "format": "json",
})");
    fs::create_directory(dir + "/.git");

    auto const file_only =
        cli::parse_options({"check", "x.json"}, environment_in(dir));
    BOOST_REQUIRE(file_only.has_value());
    BOOST_TEST((file_only->audit.scenario == engine::Scenario::tts));
    BOOST_TEST((file_only->fail_on == cli::FailOn::note));
    BOOST_TEST(file_only->audit.speech_studio);
    BOOST_TEST(source_of(*file_only, "scenario").find(".byos-audit.json:2") !=
               std::string::npos);
    BOOST_TEST(source_of(*file_only, "cloud") == "(unlisted)"); // scan only
    BOOST_TEST(source_of(*file_only, "baseline") == "default");

    auto const env = cli::parse_options(
        {"check", "x.json"},
        environment_in(dir, {{"BYOS_AUDIT_SCENARIO", "both"},
                             {"BYOS_AUDIT_SPEECH_STUDIO", "false"}}));
    BOOST_REQUIRE(env.has_value());
    BOOST_TEST((env->audit.scenario == engine::Scenario::both));
    BOOST_TEST(!env->audit.speech_studio);
    BOOST_TEST(source_of(*env, "scenario") == "BYOS_AUDIT_SCENARIO");
    BOOST_TEST((env->fail_on == cli::FailOn::note)); // still from the file

    auto const cli = cli::parse_options(
        {"check", "x.json", "--scenario", "stt", "--fail-on", "error"},
        environment_in(dir, {{"BYOS_AUDIT_SCENARIO", "both"}}));
    BOOST_REQUIRE(cli.has_value());
    BOOST_TEST((cli->audit.scenario == engine::Scenario::stt));
    BOOST_TEST((cli->fail_on == cli::FailOn::error));
    BOOST_TEST(source_of(*cli, "scenario") == "command line");
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(the_file_is_found_up_to_the_repository_root)
{
    auto const root = make_temp_dir();
    fs::create_directories(root + "/repo/.git");
    fs::create_directories(root + "/repo/infra/speech");
    write_text(root + "/.byos-audit.json", R"({"fail-on": "never"})");

    // Above the repository root: not read.
    auto const none = cli::parse_options(
        {"check", "x.json"}, environment_in(root + "/repo/infra/speech"));
    BOOST_REQUIRE(none.has_value());
    BOOST_TEST(!none->config_file);

    write_text(root + "/repo/.byos-audit.json", R"({"fail-on": "error"})");
    auto const found = cli::parse_options(
        {"check", "x.json"}, environment_in(root + "/repo/infra/speech"));
    BOOST_REQUIRE(found.has_value());
    BOOST_REQUIRE(found->config_file.has_value());
    BOOST_TEST((found->fail_on == cli::FailOn::error));

    // The nearest one wins; BYOS_AUDIT_CONFIG and --config name another.
    write_text(root + "/repo/infra/.byos-audit.json", R"({"fail-on": "note"})");
    auto const nearest = cli::parse_options(
        {"check", "x.json"}, environment_in(root + "/repo/infra/speech"));
    BOOST_TEST((nearest->fail_on == cli::FailOn::note));
    auto const named = cli::parse_options(
        {"check", "x.json"},
        environment_in(root + "/repo/infra/speech",
                       {{"BYOS_AUDIT_CONFIG", root + "/.byos-audit.json"}}));
    BOOST_TEST((named->fail_on == cli::FailOn::never));
    fs::remove_all(root);
}

BOOST_AUTO_TEST_CASE(every_mistake_names_the_file_the_line_and_the_key)
{
    struct Case
    {
        char const* text;
        char const* expected;
    };
    std::vector<Case> const cases = {
        {"{\n  \"fail-onn\": \"error\"\n}", "line 2, column 15: 'fail-onn': "
                                            "unknown key"},
        {"{\n  \"speech-studio\": \"yes\"\n}",
         "line 2, column 20: 'speech-studio': must be true or false"},
        {"{\"subscriptions\": \"abc\"}", "'subscriptions': must be an array"},
        {"{\n\n  \"fail-on\": \"eror\"}",
         "line 3, column 14: 'fail-on': --fail-on takes error, warning, note "
         "or never, not 'eror'"},
        {"{\"scenario\": \"voice\"}", "'scenario': --scenario takes"},
        {"{\"rules\": {\"BYOS012\": \"of\"}}",
         "'rules/BYOS012': must be \"off\""},
        {"{\"scenarios\": [{\"resource\": \"**\", \"scenario\": \"x\"}]}",
         "'scenarios/0/scenario': must be stt, tts or both"},
        {"{\"suppressions\": [{\"rule\": \"BYOS011\", \"resource\": \"**\",\n"
         "  \"justification\": \"j\", \"expires\": \"2027-02-30\"}]}",
         "line 2, column 36: 'suppressions/0/expires': '2027-02-30' is not a "
         "date"},
        {"{\"suppressions\": [{\"rule\": \"BYOS011\", \"resource\": \"**\",\n"
         "  \"justification\": \"j\", \"expires\": \"31.1.2027\"}]}",
         "is not a date written YYYY-MM-DD"},
        {"{\"suppressions\": [\n  {\"rule\": \"BYOS011\", \"resource\": "
         "\"**\", \"expires\": \"2027-01-31\"}]}",
         "line 2, column 3: 'suppressions/0': a suppression needs a "
         "\"justification\""},
        {"{\"suppressions\": [{\"rule\": \"BYOS011\", \"resource\": \"**\", "
         "\"justification\": \" \", \"expires\": \"2027-01-31\"}]}",
         "needs a \"justification\""},
        {"{\"suppressions\": [{\"rule\": \"BYOS011\", \"resource\": \"**\", "
         "\"justification\": \"j\"}]}",
         "needs \"expires\""},
        {"{\"suppressions\": [{\"rule\": \"BYOS011\", \"resource\": \"**\", "
         "\"justification\": \"j\", \"expires\": \"2027-01-31\", \"expiry\": "
         "\"x\"}]}",
         "'suppressions/0/expiry': unknown key"},
        {"[1, 2]", "a configuration file holds one JSON object"},
        {"{\"fail-on\": ", "unexpected end of file"},
    };
    for (auto const& c : cases) {
        auto const error = config_error(c.text);
        BOOST_TEST(error.find("c.json: ") != std::string::npos, error);
        BOOST_TEST(error.find(c.expected) != std::string::npos,
                   error << " should hold " << c.expected);
    }
    // Comments and trailing commas are allowed.
    BOOST_TEST(
        config_error("// settings\n{\"fail-on\": \"error\", /* x */}").empty());
}

BOOST_AUTO_TEST_CASE(unknown_variables_and_rules_are_errors)
{
    auto const dir = make_temp_dir();
    auto const typo = cli::parse_options(
        {"check", "x.json"},
        environment_in(dir, {{"BYOS_AUDIT_FAIL_ONN", "error"}}));
    BOOST_REQUIRE(!typo.has_value());
    BOOST_TEST(typo.error().message.find("BYOS_AUDIT_FAIL_ONN is not a "
                                         "byos-audit setting") !=
               std::string::npos);
    auto const flag = cli::parse_options(
        {"check", "x.json"},
        environment_in(dir, {{"BYOS_AUDIT_SPEECH_STUDIO", "maybe"}}));
    BOOST_REQUIRE(!flag.has_value());
    BOOST_TEST(flag.error().message.find("true or false") != std::string::npos);
    auto const value = cli::parse_options(
        {"check", "x.json"},
        environment_in(dir, {{"BYOS_AUDIT_FAIL_ON", "eror"}}));
    BOOST_REQUIRE(!value.has_value());
    BOOST_TEST(value.error().describe().find("BYOS_AUDIT_FAIL_ON") == 0u);

    // A rule the catalog does not have is caught when the run starts.
    write_text(dir + "/.byos-audit.json",
               "{\n\"rules\": {\"BYOS099\": \"off\"}}");
    auto const estate = shared_key_estate(dir);
    auto const run = run_tool({"check", estate}, {}, dir);
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(run.err.find(".byos-audit.json: line 2: 'rules' names no rule "
                            "'BYOS099'") != std::string::npos,
               run.err);
    write_text(dir + "/.byos-audit.json",
               "{\"suppressions\": [{\"rule\": \"BYOS99\", \"resource\": "
               "\"**\", \"justification\": \"j\", \"expires\": "
               "\"2027-01-31\"}]}");
    auto const sup = run_tool({"check", estate}, {}, dir);
    BOOST_TEST(sup.exit_code == 2);
    BOOST_TEST(sup.err.find("names no rule 'BYOS99'") != std::string::npos);
    BOOST_TEST(sup.out.empty());
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(rules_turned_off_or_relevelled_and_per_resource_scenarios)
{
    auto const dir = make_temp_dir();
    auto const estate = shared_key_estate(dir);
    write_text(dir + "/.byos-audit.json", R"({"rules": {"BYOS008": "note"}})");
    auto const relevelled = run_tool({"check", estate}, {}, dir);
    BOOST_TEST(relevelled.exit_code == 0, relevelled.err); // a note now
    BOOST_TEST(relevelled.out.find("note: ") != std::string::npos);
    BOOST_TEST(relevelled.out.find("BYOS008 is given the level note by "
                                   ".byos-audit.json:1") != std::string::npos);

    write_text(dir + "/.byos-audit.json", R"({"rules": {"BYOS008": "off"}})");
    auto const off = run_tool({"check", estate, "--format", "json"}, {}, dir);
    BOOST_TEST(off.exit_code == 0);
    auto const report = bj::parse(off.out);
    BOOST_TEST(report.at("summary").at("rules") == 26);

    // The base pair's firewall denies public traffic: right for stt, an
    // error (BYOS013) for tts, which a pattern can ask for.
    write_text(
        dir + "/.byos-audit.json",
        R"({"scenarios": [
              {"resource": "/subscriptions/*/resourceGroups/rg-speech/**",
               "scenario": "tts"}],
            "rules": {"BYOS008": "off"}})");
    auto const tts = run_tool({"check", estate}, {}, dir);
    BOOST_TEST(tts.exit_code == 1);
    BOOST_TEST(tts.out.find("[BYOS013]") != std::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(config_prints_each_setting_and_its_source)
{
    auto const dir = make_temp_dir();
    write_text(dir + "/.byos-audit.json", suppressing_config("2027-01-31"));
    auto const run = run_tool({"config", "--scenario", "tts"},
                              {"BYOS_AUDIT_FAIL_ON=error"}, dir);
    BOOST_TEST(run.exit_code == 0, run.err);
    BOOST_TEST(run.out.find("configuration file: .byos-audit.json") !=
               std::string::npos);
    BOOST_TEST(run.out.find("tts  (command line)") != std::string::npos);
    BOOST_TEST(run.out.find("error  (BYOS_AUDIT_FAIL_ON)") !=
               std::string::npos);
    BOOST_TEST(run.out.find("AzureCloud  (default)") != std::string::npos);
    BOOST_TEST(run.out.find("suppression BYOS008 /subscriptions/*/"
                            "resourceGroups/rg-speech/** until 2027-01-31, "
                            "owner platform-team  (.byos-audit.json:4)") !=
                   std::string::npos,
               run.out);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_suppressed_finding_does_not_fail_until_it_expires)
{
    auto const dir = make_temp_dir();
    auto const estate = shared_key_estate(dir);
    write_text(dir + "/.byos-audit.json", suppressing_config("2027-01-31"));

    // On its last day the exception holds; it still shows.
    auto const held = run_tool({"check", estate}, {on_expiry_day}, dir);
    BOOST_TEST(held.exit_code == 0, held.out << held.err);
    BOOST_TEST(held.out.find("suppressed error: ") != std::string::npos);
    BOOST_TEST(held.out.find("accepted until 2027-01-31 by platform-team "
                             "(.byos-audit.json:4): legacy uploader") !=
               std::string::npos);
    BOOST_TEST(held.out.find("1 suppressed") != std::string::npos);
    BOOST_TEST(held.err.empty());

    // The day after, the finding counts again and the entry is named.
    auto const expired = run_tool({"check", estate}, {day_after}, dir);
    BOOST_TEST(expired.exit_code == 1);
    BOOST_TEST(expired.out.find("\nerror: ") == std::string::npos);
    BOOST_TEST(expired.out.find("error: Storage account") != std::string::npos);
    BOOST_TEST(expired.err.find("warning: the suppression of BYOS008") !=
               std::string::npos);
    BOOST_TEST(expired.err.find("expired on 2027-01-31") != std::string::npos);

    // SARIF: an accepted result, and the expiry as a configuration
    // notification; --github leaves the accepted result out.
    auto const sarif =
        run_tool({"check", estate, "--format", "sarif"}, {on_expiry_day}, dir);
    auto const log = bj::parse(sarif.out);
    auto const& results = log.at("runs").at(0).at("results").as_array();
    BOOST_REQUIRE(results.size() == 1u);
    BOOST_TEST(results[0].at("suppressions").at(0).at("status") == "accepted");
    auto const github =
        run_tool({"check", estate, "--format", "sarif", "--github"},
                 {on_expiry_day}, dir);
    BOOST_TEST(github.exit_code == 0);
    BOOST_TEST(bj::parse(github.out)
                   .at("runs")
                   .at(0)
                   .at("results")
                   .as_array()
                   .empty());
    auto const late =
        run_tool({"check", estate, "--format", "sarif"}, {day_after}, dir);
    auto const late_log = bj::parse(late.out);
    auto const& notes = late_log.at("runs")
                            .at(0)
                            .at("invocations")
                            .at(0)
                            .at("toolConfigurationNotifications")
                            .as_array();
    BOOST_REQUIRE(notes.size() == 1u);
    BOOST_TEST(std::string(notes[0].at("message").at("text").as_string())
                   .find("expired") != std::string::npos);
    BOOST_TEST(
        !late_log.at("runs").at(0).at("results").at(0).as_object().contains(
            "suppressions"));
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(fail_on_new_gates_only_on_what_the_baseline_lacks)
{
    auto const dir = make_temp_dir();
    auto const estate = shared_key_estate(dir);
    auto const first = run_tool(
        {"check", estate, "--format", "sarif", "-o", dir + "/week1.sarif"});
    BOOST_TEST(first.exit_code == 1);

    // The same estate: nothing new, so the gate passes.
    auto const same = run_tool(
        {"check", estate, "--baseline", dir + "/week1.sarif", "--fail-on-new"});
    BOOST_TEST(same.exit_code == 0, same.out << same.err);
    BOOST_TEST(same.out.find("Since " + dir +
                             "/week1.sarif: 0 new, 0 fixed, "
                             "1 unchanged.") == 0u,
               same.out);
    // Without --fail-on-new the old finding still fails the run.
    BOOST_TEST(run_tool({"check", estate, "--baseline", dir + "/week1.sarif"})
                   .exit_code == 1);

    // Shared Key fixed, public blob access new: the gate fails on it, and
    // the fixed one is an absent result.
    write_text(
        estate,
        base_snapshot({{"storage",
                        {{"properties", {{"allowBlobPublicAccess", true}}}}}}));
    auto const changed =
        run_tool({"check", estate, "--baseline", dir + "/week1.sarif",
                  "--fail-on-new", "--format", "json"});
    BOOST_TEST(changed.exit_code == 1);
    auto const report = bj::parse(changed.out);
    BOOST_TEST(report.at("summary").at("new") == 1);
    BOOST_TEST(report.at("summary").at("absent") == 1);
    BOOST_TEST(report.at("fixed").at(0).at("ruleId") == "BYOS008");
    BOOST_TEST(report.at("findings").at(0).at("baselineState") == "new");

    // --fail-on-new without a baseline is a usage error.
    auto const lone = run_tool({"check", estate, "--fail-on-new"});
    BOOST_TEST(lone.exit_code == 2);
    BOOST_TEST(lone.err.find("--fail-on-new needs --baseline") !=
               std::string::npos);
    // A baseline that is not byos-audit SARIF is bad input.
    write_text(dir + "/other.sarif", "{\"runs\": []}");
    auto const other =
        run_tool({"check", estate, "--baseline", dir + "/other.sarif"});
    BOOST_TEST(other.exit_code == 2);
    BOOST_TEST(other.err.find("other.sarif") != std::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(diff_says_what_is_new_fixed_and_still_open)
{
    auto const dir = make_temp_dir();
    auto const estate = shared_key_estate(dir);
    run_tool({"check", estate, "--format", "sarif", "-o", dir + "/old.sarif"});
    write_text(estate,
               base_snapshot({{"storage",
                               {{"properties",
                                 {{"allowBlobPublicAccess", true},
                                  {"minimumTlsVersion", "TLS1_0"}}}}}}));
    run_tool({"check", estate, "--format", "sarif", "-o", dir + "/new.sarif"});

    auto const text =
        run_tool({"diff", dir + "/old.sarif", dir + "/new.sarif"});
    BOOST_TEST(text.exit_code == 1); // a new error
    BOOST_TEST(text.out.find(": 2 new, 1 fixed, 0 still open.") !=
                   std::string::npos,
               text.out);
    BOOST_TEST(text.out.find("  error BYOS007 " + std::string(storage_id)) !=
               std::string::npos);
    auto const md = run_tool({"diff", dir + "/old.sarif", dir + "/new.sarif",
                              "--format", "markdown", "--fail-on", "never"});
    BOOST_TEST(md.exit_code == 0);
    BOOST_TEST(md.out.find("### Fixed (1)") != std::string::npos);
    BOOST_TEST(md.out.find("| error | BYOS008 |") != std::string::npos);

    // Backwards, what was fixed is new.
    auto const back =
        run_tool({"diff", dir + "/new.sarif", dir + "/old.sarif"});
    BOOST_TEST(back.exit_code == 1);
    BOOST_TEST(back.out.find(": 1 new, 2 fixed, 0 still open.") !=
               std::string::npos);
    auto const usage = run_tool({"diff", dir + "/old.sarif"});
    BOOST_TEST(usage.exit_code == 2);
    auto const html = run_tool(
        {"diff", dir + "/old.sarif", dir + "/new.sarif", "--format", "html"});
    BOOST_TEST(html.exit_code == 2);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
