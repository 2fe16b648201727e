// Evidence of passes is noted only when asked for, and then for every
// passed outcome: the HTML report shows it next to each rule.

#include "support/fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace byos;

BOOST_AUTO_TEST_SUITE(condition)

BOOST_AUTO_TEST_CASE(pass_evidence_only_when_asked)
{
    std::vector<test::Document> const docs{
        {"base.json", test::base_snapshot(), ""}};

    auto const plain = test::audit(docs);
    BOOST_TEST(plain->result.pass_evidence.empty());

    engine::AuditOptions options;
    options.pass_evidence = true;
    auto const noted = test::audit(docs, options);
    auto const& r = noted->result;
    std::size_t passed = 0;
    for (std::size_t i = 0; i < r.outcomes.size(); ++i) {
        if (r.outcomes[i].status != engine::Status::passed) {
            BOOST_TEST(!r.pass_evidence.count(i));
            continue;
        }
        ++passed;
        auto const it = r.pass_evidence.find(i);
        BOOST_REQUIRE(it != r.pass_evidence.end());
        BOOST_TEST(!it->second.empty());
    }
    BOOST_TEST(passed > 10u);
    // The verdicts do not change.
    BOOST_TEST(r.outcomes.size() == plain->result.outcomes.size());
    BOOST_TEST(r.findings.size() == plain->result.findings.size());
}

BOOST_AUTO_TEST_SUITE_END()
