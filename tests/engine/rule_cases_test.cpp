// Runs the fixture cases of tests/rules/BYOSnnn.json: each case patches the
// base pair (tests/fixtures/base-pair.snapshot.json), audits it with the
// built-in catalog and checks the status of the rule under test. Every rule
// of the catalog must have at least one failing and one passing case.

#include "report/report.hpp"
#include "support/fixture.hpp"
#include "support/run.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <set>

namespace bj = boost::json;
namespace fs = std::filesystem;
using namespace byos;

namespace {

engine::AuditOptions options_of(bj::object const& c)
{
    engine::AuditOptions options;
    if (auto const* s = c.if_contains("scenario"))
        options.scenario = *engine::scenario_named(s->as_string());
    if (auto const* studio = c.if_contains("speechStudio"))
        options.speech_studio = studio->as_bool();
    return options;
}

std::vector<test::Document> documents_of(bj::object const& c)
{
    bj::object patch;
    if (auto const* p = c.if_contains("patch"))
        patch = p->as_object();
    std::vector<test::Document> docs{
        {"base-pair.snapshot.json", test::base_snapshot(patch), ""}};
    if (auto const* extra = c.if_contains("extraInputs"))
        for (auto const& e : extra->as_array()) {
            auto const& o = e.as_object();
            std::string kind;
            if (auto const* k = o.if_contains("kind"))
                kind = k->as_string();
            docs.push_back({"extra.json", bj::serialize(o.at("json")), kind});
        }
    return docs;
}

// With BYOS_SARIF_DUMP_DIR set, each case's SARIF report is written there,
// so that tests/sarif/validate.sh can check every test estate.
void dump_sarif(test::Audit const& audit, engine::AuditOptions options,
                std::string const& rule, std::size_t index)
{
    char const* dir = std::getenv("BYOS_SARIF_DUMP_DIR");
    if (!dir)
        return;
    report::Context const context{
        audit.result, audit.catalog, audit.estate, options, {}, {}, {}};
    test::write_text(std::string(dir) + "/" + rule + "-" +
                         std::to_string(index) + ".sarif",
                     report::sarif_report(context));
}

}

BOOST_AUTO_TEST_SUITE(rule_cases)

BOOST_AUTO_TEST_CASE(every_case_of_every_rule_file)
{
    auto const catalog = engine::Catalog::builtin();
    BOOST_REQUIRE(catalog.has_value());

    std::set<std::string> with_fail, with_pass;
    std::size_t cases = 0;
    for (auto const& entry :
         fs::directory_iterator(test::data_dir() + "/rules")) {
        auto const file = test::read_json(entry.path().string());
        auto const& rule = std::string(file.at("rule").as_string());
        BOOST_TEST_CONTEXT("rule file " << entry.path().filename())
        {
            BOOST_TEST(entry.path().stem().string() == rule);
            BOOST_TEST(catalog->find(rule) != nullptr);
        }

        for (auto const& value : file.at("cases").as_array()) {
            auto const& c = value.as_object();
            auto const name = std::string(c.at("name").as_string());
            auto const expect = std::string(c.at("expect").as_string());
            std::string speech;
            if (auto const* s = c.if_contains("speech"))
                speech = s->as_string();
            ++cases;

            BOOST_TEST_CONTEXT(rule << ": " << name)
            {
                auto const audit = test::audit(documents_of(c), options_of(c));
                dump_sarif(*audit, options_of(c), rule, cases);
                auto const status =
                    engine::to_string(audit->status(rule, speech));
                BOOST_TEST(status == expect);
                if (expect == "failed")
                    with_fail.insert(rule);
                if (expect == "passed")
                    with_pass.insert(rule);
            }
        }
    }

    for (auto const& rule : catalog->rules()) {
        BOOST_TEST_CONTEXT(rule.id)
        {
            BOOST_TEST(with_fail.count(rule.id) == 1u);
            BOOST_TEST(with_pass.count(rule.id) == 1u);
        }
    }
    BOOST_TEST_MESSAGE(cases << " rule cases run");
}

BOOST_AUTO_TEST_SUITE_END()
