// The condition language on its own: operators, case-insensitivity, null
// versus absent, count with where, and the three-valued logic that keeps
// missing data from passing.

#include "engine/condition.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>

namespace bj = boost::json;
using namespace byos::engine;

namespace byos::engine {

std::ostream& operator<<(std::ostream& out, Truth t)
{
    return out << (t == Truth::yes ? "yes" : t == Truth::no ? "no" : "unknown");
}

}

namespace {

struct World
{
    bj::value speech = bj::parse(R"({"id": "/subscriptions/S/x",
        "properties": {"flag": null, "list": ["GET", "options"],
                       "rules": [{"o": ["a/", "b"]}, {"o": ["*"]}]}})");
    bj::value storage = bj::parse(R"({"properties": {"acl": "Deny",
        "n": 3, "ref": "/SUBSCRIPTIONS/s/X"}})");
    bj::value blob = make_unknown("blob service was refused (403)");
    bj::value pair = bj::parse(R"({"scenario": "stt"})");

    Roots roots() const { return {&speech, &storage, &blob, &pair}; }
};

Truth eval(char const* condition)
{
    World const w;
    auto parsed = parse_condition(bj::parse(condition), "");
    BOOST_REQUIRE_MESSAGE(parsed.has_value(),
                          (parsed ? "" : parsed.error().describe()));
    return evaluate(*parsed, w.roots()).truth;
}

std::string parse_error(char const* condition)
{
    auto parsed = parse_condition(bj::parse(condition), "/condition");
    BOOST_REQUIRE(!parsed.has_value());
    return parsed.error().where + ": " + parsed.error().message;
}

}

BOOST_AUTO_TEST_SUITE(condition)

BOOST_AUTO_TEST_CASE(strings_compare_ignoring_case)
{
    BOOST_TEST(eval(R"({"field": "storage.properties.acl",
                        "equals": "deny"})") == Truth::yes);
    BOOST_TEST(eval(R"({"field": "storage.properties.acl",
                        "in": ["allow", "DENY"]})") == Truth::yes);
    BOOST_TEST(eval(R"({"field": "storage.properties.acl",
                        "like": "D*"})") == Truth::yes);
    BOOST_TEST(eval(R"({"field": "storage.properties.ref",
                        "equals": "[field('speech.id')]"})") == Truth::yes);
}

BOOST_AUTO_TEST_CASE(null_and_absent_are_no_value)
{
    for (auto const* path :
         {"speech.properties.flag", "speech.properties.missing"}) {
        BOOST_TEST_CONTEXT(path)
        {
            auto const field = std::string(R"({"field": ")") + path + "\", ";
            BOOST_TEST(eval((field + R"("exists": false})").c_str()) ==
                       Truth::yes);
            BOOST_TEST(eval((field + R"("equals": false})").c_str()) ==
                       Truth::no);
            BOOST_TEST(eval((field + R"("notEquals": false})").c_str()) ==
                       Truth::yes);
        }
    }
}

BOOST_AUTO_TEST_CASE(contains_and_numbers)
{
    BOOST_TEST(eval(R"({"field": "speech.properties.list",
                        "contains": "OPTIONS"})") == Truth::yes);
    BOOST_TEST(eval(R"({"field": "storage.properties.n",
                        "greater": 2})") == Truth::yes);
    BOOST_TEST(eval(R"({"field": "storage.properties.acl",
                        "greater": 2})") == Truth::no);
}

BOOST_AUTO_TEST_CASE(count_flattens_nested_arrays_and_binds_elements)
{
    BOOST_TEST(eval(R"({"count": {"field": "speech.properties.rules[*].o[*]",
                                  "where": {"field":
                                      "speech.properties.rules[*].o[*]",
                                      "like": "*/"}},
                        "equals": 1})") == Truth::yes);
    BOOST_TEST(eval(R"({"count": {"field": "speech.properties.rules[*]",
                                  "where": {"field":
                                      "speech.properties.rules[*].o",
                                      "contains": "*"}},
                        "equals": 1})") == Truth::yes);
    BOOST_TEST(eval(R"({"count": {"field": "speech.properties.none[*]"},
                        "equals": 0})") == Truth::yes);
}

BOOST_AUTO_TEST_CASE(value_puts_an_expression_on_the_left)
{
    BOOST_TEST(eval(R"({"value": "[field('speech.id')]",
                        "like": "/subscriptions/s/*"})") == Truth::yes);
    BOOST_TEST(eval(R"({"value": "stt",
                        "equals": "[field('pair.scenario')]"})") == Truth::yes);
    BOOST_TEST(eval(R"({"value": "[field('blobService.properties.x')]",
                        "equals": 1})") == Truth::unknown);
}

BOOST_AUTO_TEST_CASE(missing_data_is_unknown_and_never_passes)
{
    char const* on_blob = R"({"field": "blobService.properties.cors",
                              "exists": true})";
    BOOST_TEST(eval(on_blob) == Truth::unknown);
    BOOST_TEST(eval((std::string(R"({"not": )") + on_blob + "}").c_str()) ==
               Truth::unknown);
    // Kleene logic: a false part decides allOf, a true part anyOf.
    BOOST_TEST(eval((std::string(R"({"allOf": [)") + on_blob +
                     R"(, {"field": "pair.scenario", "equals": "tts"}]})")
                        .c_str()) == Truth::no);
    BOOST_TEST(eval((std::string(R"({"anyOf": [)") + on_blob +
                     R"(, {"field": "pair.scenario", "equals": "stt"}]})")
                        .c_str()) == Truth::yes);
    BOOST_TEST(eval((std::string(R"({"anyOf": [)") + on_blob +
                     R"(, {"field": "pair.scenario", "equals": "tts"}]})")
                        .c_str()) == Truth::unknown);

    World const w;
    auto parsed = parse_condition(bj::parse(on_blob), "");
    auto const verdict = evaluate(*parsed, w.roots());
    BOOST_TEST(verdict.reason == "blob service was refused (403)");
}

BOOST_AUTO_TEST_CASE(malformed_conditions_name_their_json_path)
{
    BOOST_TEST(parse_error(R"({"allOf": [{"field": "x.y", "equals": 1}]})") ==
               "/condition/allOf/0/field: field 'x.y' must start with "
               "speech., storage., blobService. or pair.");
    BOOST_TEST(parse_error(R"({"field": "pair.nope", "equals": 1})") ==
               "/condition/field: field 'pair.nope': unknown fact "
               "'pair.nope'");
    BOOST_TEST(parse_error(R"({"field": "speech.a", "in": "x"})") ==
               "/condition/in: 'in' takes an array");
    BOOST_TEST(parse_error(R"({"count": {"field": "speech.a"},
                              "equals": 0})") ==
               "/condition/count/field: a counted field must end with [*]");
}

BOOST_AUTO_TEST_SUITE_END()
