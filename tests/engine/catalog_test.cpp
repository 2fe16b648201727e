// The catalog has three faces that must agree: the rule files in rules/,
// the table in README.md, and what `byos-audit rules` prints.

#include "support/fixture.hpp"
#include "support/run.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>
#include <sstream>

using namespace byos;
namespace fs = std::filesystem;

namespace {

struct Row
{
    std::string level;
    std::string resource;
};

// Rows of the README's catalog table: | ID | checks | level | on |.
std::map<std::string, Row> readme_catalog()
{
    auto const text =
        read_text_file(std::string(BYOS_SOURCE_DIR) + "/README.md");
    BOOST_REQUIRE(text.has_value());
    std::map<std::string, Row> rows;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("| BYOS", 0) != 0)
            continue;
        auto const cells = split_trimmed(line, '|');
        BOOST_REQUIRE(cells.size() == 4u);
        rows[cells[0]] = {cells[2], cells[3]};
    }
    return rows;
}

}

BOOST_AUTO_TEST_SUITE(catalog)

BOOST_AUTO_TEST_CASE(rule_files_readme_and_rules_command_agree)
{
    auto const catalog = engine::Catalog::builtin();
    BOOST_REQUIRE(catalog.has_value());

    std::vector<std::string> files;
    for (auto const& e :
         fs::directory_iterator(std::string(BYOS_SOURCE_DIR) + "/rules"))
        files.push_back(e.path().stem().string());
    std::sort(files.begin(), files.end());

    std::vector<std::string> ids;
    for (auto const& rule : catalog->rules())
        ids.push_back(rule.id);
    BOOST_TEST(files == ids, boost::test_tools::per_element());

    auto const readme = readme_catalog();
    BOOST_TEST(readme.size() == catalog->rules().size());
    for (auto const& rule : catalog->rules()) {
        BOOST_TEST_CONTEXT(rule.id)
        {
            auto const row = readme.find(rule.id);
            BOOST_REQUIRE(row != readme.end());
            BOOST_TEST(row->second.level == engine::to_string(rule.level));
            BOOST_TEST(row->second.resource ==
                       engine::to_string(rule.resource));
            BOOST_TEST(rule.file == "rules/" + rule.id + ".json");
        }
    }

    auto const run = test::run_tool({"rules"});
    std::istringstream lines(run.out);
    std::size_t i = 0;
    for (std::string line; std::getline(lines, line); ++i) {
        BOOST_REQUIRE(i < ids.size());
        auto const& rule = catalog->rules()[i];
        BOOST_TEST(line.rfind(rule.id + "  " + engine::to_string(rule.level),
                              0) == 0u);
        BOOST_TEST(line.find(rule.title) != std::string::npos);
    }
    BOOST_TEST(i == ids.size());
}

BOOST_AUTO_TEST_CASE(every_rule_has_complete_documentation)
{
    auto const catalog = engine::Catalog::builtin();
    for (auto const& rule : catalog->rules()) {
        BOOST_TEST_CONTEXT(rule.id)
        {
            BOOST_TEST(rule.rationale.size() > 80u);
            BOOST_TEST(rule.remediation_az.rfind("az ", 0) == 0u);
            BOOST_TEST(!rule.remediation_portal.empty());
            BOOST_TEST(rule.help_uri.rfind("https://learn.microsoft.com/", 0) ==
                       0u);
            BOOST_TEST(std::count(rule.tags.begin(), rule.tags.end(),
                                  "security") == 1);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
