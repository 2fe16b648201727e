// Source positions: where the values named by JSON pointers begin.

#include "json/document.hpp"
#include "json/source_index.hpp"

#include <boost/test/unit_test.hpp>

using namespace byos::json;

BOOST_AUTO_TEST_SUITE(json)

BOOST_AUTO_TEST_CASE(locate_finds_objects_by_pointer)
{
    std::string const text = "{\n"
                             "  \"value\": [\n"
                             "    {\"id\": \"a\"},\n"
                             "    {\"id\": \"b\", \"x/y\": {\"k\": 1}}\n"
                             "  ]\n"
                             "}\n";
    auto const at =
        locate(text, {"/value/0", "/value/1", "/value/1/x~1y", "/value/2", ""});
    BOOST_TEST(at[0].line == 3u);
    BOOST_TEST(at[0].column == 5u);
    BOOST_TEST(at[1].line == 4u);
    BOOST_TEST(at[2].column == 24u);
    BOOST_TEST(at[3].line == 0u); // names nothing
    BOOST_TEST(at[4].line == 1u);
}

BOOST_AUTO_TEST_CASE(keys_and_strings_with_escapes_do_not_confuse_it)
{
    std::string const text = R"({"a\"b": "x, {y} [z]", "c": [{"d": 1}]})";
    auto const at = locate(text, {"/c/0"});
    BOOST_TEST(at[0].column == 30u);
}

BOOST_AUTO_TEST_CASE(columns_count_code_points)
{
    std::string const text = "{\"n\": \"\xc3\xa9\xc3\xa9\", \"k\": {}}";
    BOOST_TEST(locate(text, {"/k"})[0].column == 18u);
    BOOST_TEST(position_of_offset(text, text.size()).column == 21u);
}

BOOST_AUTO_TEST_CASE(parse_errors_carry_line_and_column)
{
    auto const bad = parse("{\n  \"a\": tru\n}", "f.json");
    BOOST_REQUIRE(!bad.has_value());
    BOOST_TEST(bad.error().describe() ==
               "f.json: line 2, column 8: invalid JSON");

    auto const too_big = parse("{\"a\": [1, 2e400]}", "n.json");
    BOOST_REQUIRE(!too_big.has_value());
    BOOST_TEST(too_big.error().describe() ==
               "n.json: line 1, column 11 (at /a/1): number out of range");

    auto const fine = parse("{\"a\": 123456789012345678901234567890}", "");
    BOOST_TEST(fine.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
