#pragma once

// The condition language of rules, after Azure Policy's `if` block, and
// its three-valued evaluation: a condition that reads data nobody could
// collect is unknown, and an unknown rule is reported as not evaluated,
// never as passed.

#include "engine/field_path.hpp"
#include "util/error.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace byos::engine {

enum class Op
{
    equals,
    not_equals,
    in,
    not_in,
    like,
    not_like,
    contains,
    not_contains,
    exists,
    greater,
    greater_or_equals,
    less,
    less_or_equals,
};

struct Condition
{
    enum class Type
    {
        all_of,
        any_of,
        not_,
        field,
        value, // Azure Policy's "value": the left side is an expression
        count,
    };

    Type type = Type::field;
    std::vector<Condition> children; // all_of, any_of, not_; count: where
    FieldPath field;                 // field, count
    Op op = Op::equals;              // field, count
    boost::json::value operand;      // literal operand
    std::optional<FieldPath> operand_field; // "[field('...')]"

    // For value conditions: the left side is `value_literal`, or the field
    // in `field` when it was written as "[field('...')]".
    bool value_is_literal = false;
    boost::json::value value_literal;
};

// Parses a condition object. Errors carry the JSON pointer of the offending
// part, relative to `pointer`, in Error::where.
Result<Condition> parse_condition(boost::json::value const& json,
                                  std::string const& pointer);

// Every field path a condition reads, for validation and documentation.
void collect_fields(Condition const& condition,
                    std::vector<FieldPath const*>& out);

enum class Truth : unsigned char
{
    no,
    yes,
    unknown,
};

// An object of this shape in a root or fact stands for data that was not
// collected: {"$unknown": "why"}.
inline constexpr char const* unknown_key = "$unknown";
boost::json::value make_unknown(std::string_view reason,
                                boost::json::storage_ptr storage = {});

struct Roots
{
    boost::json::value const* speech = nullptr;
    boost::json::value const* storage = nullptr;
    boost::json::value const* blob_service = nullptr;
    boost::json::value const* pair = nullptr;
};

// What a condition read and how it compared, for explaining a result.
struct Evidence
{
    std::string field;    // the field path as written
    std::string found;    // the value found, as JSON, or "absent"
    std::string expected; // the test, e.g. "notEquals false"
};

struct Verdict
{
    Truth truth = Truth::no;
    std::string reason; // for unknown: the data that was missing
};

// Evaluates `condition` over `roots`. When `evidence` is given, leaf tests
// append what they read.
Verdict evaluate(Condition const& condition, Roots const& roots,
                 std::vector<Evidence>* evidence = nullptr);

// The value a field path names, rendered for a message: strings as they
// are, other values as JSON; "(none)" when absent, "(unknown)" when not
// collected. Paths with `[*]` join their values with ", ".
std::string render_field(FieldPath const& path, Roots const& roots);

}
