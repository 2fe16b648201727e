// The CI recipes in examples/ci cannot rot: every byos-audit command line
// they hold is read from the YAML and run, with the same flags, against
// the loopback stand-in for Entra ID and ARM, signed in through a stand-in
// `az` as the recipes' OIDC sign-in leaves the Azure CLI. Two runs stand
// for two weeks, so the weekly comparison runs too.

#include "support/fake_azure.hpp"
#include "support/fake_estate.hpp"
#include "support/fixture.hpp"
#include "support/run.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>

namespace bj = boost::json;
namespace fs = std::filesystem;
using namespace byos::test;

namespace {

// The byos-audit commands of a YAML file, continuation lines joined, cut
// at a shell redirection.
std::vector<std::string> commands_in(std::string const& yaml)
{
    std::vector<std::string> out;
    std::string current;
    std::size_t start = 0;
    while (start < yaml.size()) {
        auto end = yaml.find('\n', start);
        if (end == std::string::npos)
            end = yaml.size();
        auto line = yaml.substr(start, end - start);
        start = end + 1;
        auto const first = line.find_first_not_of(' ');
        if (first == std::string::npos)
            continue;
        line = line.substr(first);
        if (current.empty() && line.rfind("byos-audit ", 0) != 0)
            continue;
        bool const more = !line.empty() && line.back() == '\\';
        current += more ? line.substr(0, line.size() - 1) : line;
        if (!more) {
            out.push_back(current);
            current.clear();
        }
    }
    return out;
}

// Splits a command as the shell would, for the plain words and double
// quotes the recipes use, replacing their variables.
std::vector<std::string>
words_of(std::string const& command,
         std::map<std::string, std::string> const& variables)
{
    auto expanded = command;
    for (auto const& [name, value] : variables)
        for (auto at = expanded.find(name); at != std::string::npos;
             at = expanded.find(name, at + value.size()))
            expanded.replace(at, name.size(), value);

    std::vector<std::string> words;
    std::string word;
    bool quoted = false, any = false;
    for (char ch : expanded) {
        if (ch == '"') {
            quoted = !quoted;
            any = true;
        } else if (ch == ' ' && !quoted) {
            if (any)
                words.push_back(word);
            word.clear();
            any = false;
        } else {
            word += ch;
            any = true;
        }
    }
    if (any)
        words.push_back(word);
    auto const redirect = std::find_if(words.begin(), words.end(), [](auto& w) {
        return w == ">" || w == ">>";
    });
    words.erase(redirect, words.end());
    return words;
}

struct Week
{
    std::vector<Run> runs;
};

// Runs every command of `recipe` in `dir`, the scans against `azure`. A
// diff whose earlier report is missing is skipped, as the recipes' `if`
// does.
Week run_recipe(std::string const& recipe, FakeAzure const& azure,
                std::string const& dir,
                std::map<std::string, std::string> const& variables)
{
    Week week;
    for (auto const& command : commands_in(read_text(recipe))) {
        auto words = words_of(command, variables);
        BOOST_REQUIRE(words.size() > 1u);
        words.erase(words.begin()); // byos-audit
        if (words[0] == "diff" && !fs::exists(dir + "/" + words[1]) &&
            !fs::exists(words[1]))
            continue;
        if (words[0] == "scan") {
            words.push_back("--arm-endpoint");
            words.push_back(azure.arm_endpoint());
            words.push_back("--retry-delay-ms");
            words.push_back("10");
        }
        week.runs.push_back(run_tool(words,
                                     {"PATH=" + dir + "/bin:/usr/bin:/bin",
                                      "SSL_CERT_FILE=" + azure.ca_file()},
                                     dir));
        BOOST_TEST_MESSAGE("byos-audit " << words[0] << ": exit "
                                         << week.runs.back().exit_code);
    }
    return week;
}

}

BOOST_AUTO_TEST_SUITE(recipes)

BOOST_AUTO_TEST_CASE(github_actions_recipe_runs_as_written)
{
    auto const recipe =
        std::string(BYOS_SOURCE_DIR) + "/examples/ci/github-actions.yml";
    auto const commands = commands_in(read_text(recipe));
    BOOST_REQUIRE(commands.size() == 3u); // scan, check for GitHub, diff

    auto azure = FakeAzure::start(byos_pair_estate());
    auto const dir = make_temp_dir();
    fs::create_directories(dir + "/bin");
    write_fake_az(*azure, dir + "/bin");
    std::map<std::string, std::string> const variables{
        {"$AZURE_SUBSCRIPTION_ID", fake_subscription_id},
        {"$GITHUB_STEP_SUMMARY", dir + "/summary.md"}};

    // Week one: no earlier report, so no diff.
    auto const first = run_recipe(recipe, *azure, dir, variables);
    BOOST_REQUIRE(first.runs.size() == 2u);
    for (auto const& run : first.runs)
        BOOST_TEST(run.exit_code == 0, run.err);
    for (auto const* file :
         {"byos-reports/byos-audit.sarif", "byos-reports/byos-audit.html",
          "byos-reports/byos-audit.md", "byos-estate.snapshot.json",
          "byos-github.sarif"})
        BOOST_TEST(fs::exists(dir + "/" + file), file);
    auto const github = bj::parse(read_text(dir + "/byos-github.sarif"));
    BOOST_TEST(github.at("runs").at(0).at("tool").at("driver").at("name") ==
               "byos-audit");

    // Week two: the artifact of week one is the earlier report.
    fs::create_directories(dir + "/previous");
    fs::copy_file(dir + "/byos-reports/byos-audit.sarif",
                  dir + "/previous/byos-audit.sarif");
    auto const second = run_recipe(recipe, *azure, dir, variables);
    BOOST_REQUIRE(second.runs.size() == 3u);
    auto const& diff = second.runs.back();
    BOOST_TEST(diff.exit_code == 0, diff.err);
    BOOST_TEST(diff.out.find("0 new, 0 fixed, 1 still open") !=
                   std::string::npos,
               diff.out);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(azure_pipelines_recipe_runs_as_written)
{
    auto const recipe =
        std::string(BYOS_SOURCE_DIR) + "/examples/ci/azure-pipelines.yml";
    BOOST_REQUIRE(commands_in(read_text(recipe)).size() == 2u); // scan, diff

    // A finding, so that the gate and the reports have something to show.
    auto estate = byos_pair_estate();
    for (auto& r : estate.at("resources").as_array()) {
        auto& o = r.as_object();
        if (o.at("type") == "Microsoft.Storage/storageAccounts")
            o["properties"].as_object()["allowSharedKeyAccess"] = true;
    }
    auto azure = FakeAzure::start(estate);
    auto const dir = make_temp_dir();
    fs::create_directories(dir + "/bin");
    write_fake_az(*azure, dir + "/bin");
    std::map<std::string, std::string> const variables{
        {"$(AZURE_SUBSCRIPTION_ID)", fake_subscription_id},
        {"$(REPORTS)", dir + "/staging/CodeAnalysisLogs"},
        {"$(Pipeline.Workspace)", dir + "/workspace"},
        {"$(Agent.TempDirectory)", dir}};

    auto const first = run_recipe(recipe, *azure, dir, variables);
    BOOST_REQUIRE(first.runs.size() == 1u);
    BOOST_TEST(first.runs[0].exit_code == 1, first.runs[0].err); // an error
    auto const logs = dir + "/staging/CodeAnalysisLogs/";
    for (auto const* file : {"byos-audit.sarif", "byos-audit.junit.xml",
                             "byos-audit.html", "byos-audit.md"})
        BOOST_TEST(fs::exists(logs + file), file);
    auto const junit = read_text(logs + "byos-audit.junit.xml");
    BOOST_TEST(junit.find("<failure type=\"error\"") != std::string::npos);

    fs::create_directories(dir + "/workspace/previous");
    fs::copy_file(logs + "byos-audit.sarif",
                  dir + "/workspace/previous/byos-audit.sarif");
    auto const second = run_recipe(recipe, *azure, dir, variables);
    BOOST_REQUIRE(second.runs.size() == 2u);
    BOOST_TEST(second.runs[1].exit_code == 0, second.runs[1].err);
    BOOST_TEST(second.runs[1].out.find("0 new, 0 fixed, 2 still open") !=
                   std::string::npos,
               second.runs[1].out);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
