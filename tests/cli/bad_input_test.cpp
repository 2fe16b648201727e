// Bad input: every case gets one line on stderr naming the file (and the
// line and column where there is one), exit code 2, no report on stdout and
// no output file, and no hang.

#include "support/run.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

using namespace byos::test;
namespace fs = std::filesystem;

namespace {

struct BadInput
{
    char const* name;
    std::string content;
    char const* expected; // part of the error line
};

std::string deep_nesting()
{
    return std::string(200, '[') + std::string(200, ']');
}

std::string const storage_prefix =
    R"({"value":[{"id":"/subscriptions/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0/)"
    R"(resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",)"
    R"("type":"Microsoft.Storage/storageAccounts","properties":)";

std::vector<BadInput> cases()
{
    return {
        {"invalid.json", "{\n  \"value\": [1,,2]\n}",
         "invalid.json: line 2, column 15: invalid JSON"},
        {"truncated.json", "{\"value\": [{\"id\": \"/sub",
         "truncated.json: line 1, column 24: unexpected end of file"},
        {"shape.json", "{\"hello\": \"world\"}",
         "shape.json: line 1, column 1: holds no Azure data"},
        {"scalar.json", "42",
         "scalar.json: line 1, column 1: expected a JSON object or array"},
        {"wrong-type.json",
         "{\"value\": [{\"type\": \"Microsoft.Storage/storageAccounts\", "
         "\"id\": 7}]}",
         "wrong-type.json: line 1, column 64 (at /value/0/id): expected the "
         "resource ID"},
        {"deep.json", deep_nesting(),
         "deep.json: line 1, column 65: nesting deeper than 64 levels"},
        {"huge-number.json", storage_prefix + R"({"x": 1e99999}}]})",
         "(at /value/0/properties/x): number out of range"},
        {"utf8.json", "{\"value\": [\"\xff\xfe\"]}",
         "utf8.json: line 1, column 13: invalid UTF-8"},
        {"empty.json", "", "empty.json: file is empty"},
        {"snapshot.json",
         "{\"snapshotFormat\": \"byos-audit/1\", \"collections\": "
         "{\"storageAccount\": []}}",
         "(at /collections/storageAccount): unknown collection"},
        {"entry.json",
         "{\"snapshotFormat\": \"byos-audit/1\", \"collections\": "
         "{\"storageAccounts\": [{\"scope\": \"/subscriptions/x\", "
         "\"status\": \"200\"}]}}",
         "(at /collections/storageAccounts/0/status): expected the HTTP "
         "status"},
    };
}

void expect_clean_failure(Run const& run, std::string const& expected)
{
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(run.out.empty());
    BOOST_TEST(run.err.find(expected) != std::string::npos,
               "stderr was: " << run.err);
    BOOST_TEST(run.err.rfind("byos-audit: error: ", 0) == 0u);
    BOOST_TEST(std::count(run.err.begin(), run.err.end(), '\n') == 1);
}

}

BOOST_AUTO_TEST_SUITE(bad_input)

BOOST_AUTO_TEST_CASE(each_bad_file_is_one_clear_error_with_exit_2)
{
    auto const dir = make_temp_dir();
    for (auto const& c : cases()) {
        BOOST_TEST_CONTEXT(c.name)
        {
            auto const path = dir + "/" + c.name;
            write_text(path, c.content);
            auto const report = dir + "/report.sarif";
            auto const run = run_tool(
                {"check", path, "--format", "sarif", "--output", report}, {},
                {}, 20);
            expect_clean_failure(run, c.expected);
            BOOST_TEST(!fs::exists(report));
        }
    }
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_directory_and_a_missing_file_are_errors)
{
    auto const dir = make_temp_dir();
    expect_clean_failure(run_tool({"check", dir}), dir + ": is a directory");
    expect_clean_failure(run_tool({"check", dir + "/absent.json"}),
                         "absent.json: No such file or directory");
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_bad_file_leaves_an_existing_report_untouched)
{
    auto const dir = make_temp_dir();
    write_text(dir + "/bad.json", "{");
    write_text(dir + "/report.json", "previous report\n");
    auto const run = run_tool({"check", dir + "/bad.json", "--format", "json",
                               "--output", dir + "/report.json"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(read_text(dir + "/report.json") == "previous report\n");
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(one_bad_file_among_good_ones_stops_the_audit)
{
    auto const dir = make_temp_dir();
    write_text(dir + "/bad.json", "[1, 2");
    auto const run = run_tool(
        {"check",
         std::string(BYOS_TEST_DATA_DIR) + "/fixtures/base-pair.snapshot.json",
         dir + "/bad.json"});
    expect_clean_failure(run, "bad.json: line 1, column 6: unexpected end");
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2)
{
    BOOST_TEST(run_tool({"check"}).exit_code == 2);
    BOOST_TEST(run_tool({"frobnicate"}).exit_code == 2);
    BOOST_TEST(run_tool({"check", "x.json", "--scenario", "tts2"}).exit_code ==
               2);
    BOOST_TEST(
        run_tool({"check", "x.json", "--fail-on", "critical"}).exit_code == 2);
    BOOST_TEST(run_tool({"check", "x.json", "--format", "xml"}).exit_code == 2);
    BOOST_TEST(run_tool({"check", "x.json", "--bogus"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(a_malformed_rule_file_names_file_and_json_path)
{
    auto const dir = make_temp_dir();
    write_text(dir + "/BYOS900.json", R"({
  "id": "BYOS900", "name": "X", "title": "t", "level": "error",
  "scenarios": ["stt"], "appliesTo": "pair", "resource": "storage",
  "condition": {"allOf": [{"field": "storage.properties.x",
                           "equalz": 1}]},
  "message": "m", "rationale": "r", "guidance": "g",
  "remediation": {"az": "az x", "portal": ["p"]},
  "helpUri": "https://example.org/", "tags": ["security"]
})");
    auto const run = run_tool({"check", "--rules", dir,
                               std::string(BYOS_TEST_DATA_DIR) +
                                   "/fixtures/base-pair.snapshot.json"});
    expect_clean_failure(run, "BYOS900.json: line 5, column 38 (at "
                              "/condition/allOf/0/equalz): unknown operator "
                              "'equalz'");

    write_text(dir + "/BYOS900.json", R"({"id": "BYOS900", "name": 5})");
    auto const second = run_tool({"rules", "--rules", dir});
    expect_clean_failure(second, "BYOS900.json: line 1, column 27 (at "
                                 "/name): expected a non-empty string");
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
