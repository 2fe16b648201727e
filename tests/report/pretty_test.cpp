// Reports print JSON themselves; what they print must parse back to the
// same value, whatever the strings hold.

#include "report/report.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

namespace bj = boost::json;

BOOST_AUTO_TEST_SUITE(report)

BOOST_AUTO_TEST_CASE(pretty_json_parses_back_to_the_same_value)
{
    bj::value const v = {
        {"quote\"and\\backslash", "line\nbreak\ttab\r\x01\x1f"},
        {"html", "<script>alert('x')</script> &amp;"},
        {"unicode", "caf\xc3\xa9 \xe2\x9c\x93"},
        {"numbers", bj::array{0, -7, 18446744073709551615ull, 1.5, 1e300}},
        {"nested", {{"empty", bj::object()}, {"list", bj::array()}}},
        {"flags", bj::array{true, false, nullptr}},
    };
    auto const text = byos::report::pretty(v);
    BOOST_TEST(bj::parse(text) == v);
    BOOST_TEST(text.back() == '\n');
    BOOST_TEST(text.find("\n  \"html\": ") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
