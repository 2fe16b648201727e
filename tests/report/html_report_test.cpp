// The HTML report as text: what a browser is told to allow, which rows it
// holds, and that estate text reaches it only escaped. tests/html/ loads
// the page in a real browser.

#include "report/report.hpp"
#include "support/fixture.hpp"
#include "util/digest.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

namespace bj = boost::json;
using namespace byos;

namespace {

std::string page_of(test::Audit const& audit, engine::AuditOptions options)
{
    report::Context const context{
        audit.result, audit.catalog, audit.estate, options, {}, {}, {}};
    return report::html_report(context);
}

std::size_t occurrences(std::string const& text, std::string const& part)
{
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos;
         at = text.find(part, at + part.size()))
        ++n;
    return n;
}

// The text between the first `open` and the `close` after it.
std::string between(std::string const& text, std::string const& open,
                    std::string const& close)
{
    auto const start = text.find(open);
    BOOST_REQUIRE(start != std::string::npos);
    auto const end = text.find(close, start + open.size());
    BOOST_REQUIRE(end != std::string::npos);
    return text.substr(start + open.size(), end - start - open.size());
}

}

BOOST_AUTO_TEST_SUITE(report)

BOOST_AUTO_TEST_CASE(html_policy_names_exactly_the_inline_blocks)
{
    engine::AuditOptions options;
    auto const audit = test::audit({{"base.json", test::base_snapshot(), ""}},
                                   options);
    auto const page = page_of(*audit, options);

    auto const policy = between(page, "Content-Security-Policy\" content=\"",
                                "\"");
    BOOST_TEST(policy.find("default-src 'none'") != std::string::npos);
    auto const style = between(page, "<style>", "</style>");
    auto const script = between(page, "<script>", "</script>");
    BOOST_TEST(policy.find("style-src 'sha256-" + sha256_base64(style) +
                           "'") != std::string::npos);
    BOOST_TEST(policy.find("script-src 'sha256-" + sha256_base64(script) +
                           "'") != std::string::npos);
    BOOST_TEST(occurrences(page, "<script") == 1u);
    BOOST_TEST(occurrences(page, "<style") == 1u);
    // Nothing the page would fetch: no sources, no style sheets.
    BOOST_TEST(occurrences(page, " src=") == 0u);
    BOOST_TEST(occurrences(page, "<link") == 0u);
}

BOOST_AUTO_TEST_CASE(html_lists_every_outcome_with_evidence_of_passes)
{
    engine::AuditOptions options;
    options.pass_evidence = true;
    auto const audit = test::audit(
        {{"base.json",
          test::base_snapshot(bj::parse(R"({"storage": {"properties":
              {"allowSharedKeyAccess": true}}})")
                                  .as_object()),
          ""}},
        options);
    auto const page = page_of(*audit, options);

    BOOST_TEST(occurrences(page, "<tr class=\"outcome\"") ==
               audit->result.outcomes.size());
    BOOST_TEST(occurrences(page, "data-status=\"failed\"") >= 1u);
    BOOST_TEST(!audit->result.pass_evidence.empty());
    // BYOS007 passes on the base pair; its row shows the value it read.
    BOOST_TEST(page.find("storage.properties.allowBlobPublicAccess</code>: "
                         "found <code>false</code>") != std::string::npos);
    // BYOS008 fails, with the value that failed it.
    BOOST_TEST(page.find("storage.properties.allowSharedKeyAccess</code>: "
                         "found <code>true</code>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(html_escapes_what_the_estate_says)
{
    engine::AuditOptions options;
    auto const audit = test::audit(
        {{"base.json",
          test::base_snapshot(bj::parse(R"j({"speech": {"tags": {
              "<b onmouseover=\"x()\">": "</style><script>x()</script>",
              "q": "' onload='x()"}}})j")
                                  .as_object()),
          ""}},
        options);
    auto const page = page_of(*audit, options);

    BOOST_TEST(occurrences(page, "<script") == 1u);
    BOOST_TEST(occurrences(page, "</style>") == 1u);
    BOOST_TEST(page.find("<b ") == std::string::npos);
    BOOST_TEST(page.find("&lt;b onmouseover=&quot;x()&quot;&gt;") !=
               std::string::npos);
    BOOST_TEST(page.find("&#39; onload=&#39;x()") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
