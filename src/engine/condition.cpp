#include "engine/condition.hpp"

#include "util/names.hpp"
#include "util/strings.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>

namespace byos::engine {

namespace bj = boost::json;

namespace {

constexpr std::array<NameRow<Op>, 13> op_names = {{
    {"equals", Op::equals},
    {"notEquals", Op::not_equals},
    {"in", Op::in},
    {"notIn", Op::not_in},
    {"like", Op::like},
    {"notLike", Op::not_like},
    {"contains", Op::contains},
    {"notContains", Op::not_contains},
    {"exists", Op::exists},
    {"greater", Op::greater},
    {"greaterOrEquals", Op::greater_or_equals},
    {"less", Op::less},
    {"lessOrEquals", Op::less_or_equals},
}};

std::string_view name_of(Op op)
{
    return name_in(op_names, op);
}

bool is_numeric(Op op)
{
    return op == Op::equals || op == Op::not_equals || op == Op::greater ||
           op == Op::greater_or_equals || op == Op::less ||
           op == Op::less_or_equals;
}

// ---------------------------------------------------------------- parsing

Error error_at(std::string const& pointer, std::string message)
{
    return Error{"", pointer, std::move(message)};
}

Result<FieldPath> parse_path_at(bj::value const* value,
                                std::string const& pointer)
{
    if (!value || !value->is_string())
        return error_at(pointer, "expected a field path string");
    auto path = parse_field_path(value->get_string());
    if (!path)
        return error_at(pointer, path.error().message);
    return path;
}

// Finds the one operator key of a field or count condition.
Result<Op> parse_operator(bj::object const& object,
                          std::string_view subject_key,
                          std::string const& pointer)
{
    std::optional<Op> found;
    for (auto const& [key, value] : object) {
        if (key == subject_key)
            continue;
        auto const op = find_by_name(op_names, key);
        if (!op)
            return error_at(pointer + "/" + std::string(key),
                            "unknown operator '" + std::string(key) + "'");
        if (found)
            return error_at(pointer, "more than one operator");
        found = op;
    }
    if (!found)
        return error_at(pointer, "missing an operator (equals, notEquals, "
                                 "in, like, contains, exists, ...)");
    return *found;
}

Status check_operand(Op op, bj::value const& operand,
                     std::string const& pointer)
{
    if ((op == Op::in || op == Op::not_in) && !operand.is_array())
        return error_at(pointer,
                        "'" + std::string(name_of(op)) + "' takes an array");
    if ((op == Op::like || op == Op::not_like) && !operand.is_string())
        return error_at(pointer, "'" + std::string(name_of(op)) +
                                     "' takes a string pattern");
    if (op == Op::exists && !operand.is_bool())
        return error_at(pointer, "'exists' takes true or false");
    return std::nullopt;
}

// "[field('path')]" names another field; any other string is a literal.
Result<std::optional<FieldPath>> parse_operand_field(bj::value const& operand,
                                                     std::string const& pointer)
{
    if (!operand.is_string())
        return std::optional<FieldPath>();
    std::string_view text = operand.get_string();
    if (text.size() < 2 || text.front() != '[' || text.back() != ']')
        return std::optional<FieldPath>();
    constexpr std::string_view open = "[field('";
    constexpr std::string_view close = "')]";
    if (text.substr(0, open.size()) != open ||
        text.size() < open.size() + close.size() ||
        text.substr(text.size() - close.size()) != close)
        return error_at(pointer, "unsupported expression '" +
                                     std::string(text) +
                                     "' (only [field('path')] is known)");
    auto path = parse_field_path(
        text.substr(open.size(), text.size() - open.size() - close.size()));
    if (!path)
        return error_at(pointer, path.error().message);
    return std::optional<FieldPath>(std::move(*path));
}

Result<Condition> parse_field(bj::object const& object,
                              std::string const& pointer)
{
    Condition c;
    c.type = Condition::Type::field;
    auto path = parse_path_at(object.if_contains("field"), pointer + "/field");
    if (!path)
        return path.error();
    c.field = std::move(*path);

    auto op = parse_operator(object, "field", pointer);
    if (!op)
        return op.error();
    c.op = *op;
    auto const& operand = object.at(name_of(c.op));
    auto const operand_pointer = pointer + "/" + std::string(name_of(c.op));
    if (auto error = check_operand(c.op, operand, operand_pointer))
        return *error;
    auto other = parse_operand_field(operand, operand_pointer);
    if (!other)
        return other.error();
    c.operand_field = std::move(*other);
    c.operand = operand;
    return c;
}

// {"value": LEFT, OPERATOR: OPERAND}, where LEFT is a literal or
// "[field('path')]": lets a rule compare, say, the Speech ID against a
// pattern stored in the storage account.
Result<Condition> parse_value(bj::object const& object,
                              std::string const& pointer)
{
    auto const& left = object.at("value");
    auto left_field = parse_operand_field(left, pointer + "/value");
    if (!left_field)
        return left_field.error();

    auto as_field = object;
    as_field.erase("value");
    as_field["field"] = left_field->has_value() ? left_field->value().text
                                                : std::string("pair.scenario");
    auto c = parse_field(as_field, pointer);
    if (!c)
        return c;
    c->type = Condition::Type::value;
    if (!left_field->has_value()) {
        c->value_is_literal = true;
        c->value_literal = left;
    }
    return c;
}

Result<Condition> parse_count(bj::object const& object,
                              std::string const& pointer)
{
    Condition c;
    c.type = Condition::Type::count;
    auto const* spec = object.at("count").if_object();
    if (!spec)
        return error_at(pointer + "/count",
                        "expected {\"field\": ..., \"where\": ...}");
    for (auto const& [key, value] : *spec)
        if (key != "field" && key != "where")
            return error_at(pointer + "/count/" + std::string(key),
                            "unknown key '" + std::string(key) + "' in count");

    auto path =
        parse_path_at(spec->if_contains("field"), pointer + "/count/field");
    if (!path)
        return path.error();
    if (path->steps.empty() || !path->steps.back().each)
        return error_at(pointer + "/count/field",
                        "a counted field must end with [*]");
    c.field = std::move(*path);

    if (auto const* where = spec->if_contains("where")) {
        auto child = parse_condition(*where, pointer + "/count/where");
        if (!child)
            return child.error();
        c.children.push_back(std::move(*child));
    }

    auto op = parse_operator(object, "count", pointer);
    if (!op)
        return op.error();
    c.op = *op;
    auto const& operand = object.at(name_of(c.op));
    if (!is_numeric(c.op) || !operand.is_number())
        return error_at(pointer + "/" + std::string(name_of(c.op)),
                        "a count compares with a number (equals, "
                        "notEquals, greater, greaterOrEquals, less, "
                        "lessOrEquals)");
    c.operand = operand;
    return c;
}

Result<Condition> parse_logical(bj::object const& object,
                                std::string const& pointer)
{
    auto const& [key, value] = *object.begin();
    Condition c;
    if (key == "not") {
        c.type = Condition::Type::not_;
        auto child = parse_condition(value, pointer + "/not");
        if (!child)
            return child.error();
        c.children.push_back(std::move(*child));
        return c;
    }

    c.type = key == "allOf" ? Condition::Type::all_of : Condition::Type::any_of;
    auto const child_pointer = pointer + "/" + std::string(key);
    if (!value.is_array() || value.get_array().empty())
        return error_at(child_pointer, "expected a non-empty array of "
                                       "conditions");
    auto const& list = value.get_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto child =
            parse_condition(list[i], child_pointer + "/" + std::to_string(i));
        if (!child)
            return child.error();
        c.children.push_back(std::move(*child));
    }
    return c;
}

// ------------------------------------------------------------- evaluation

Truth all(Truth a, Truth b)
{
    if (a == Truth::no || b == Truth::no)
        return Truth::no;
    if (a == Truth::unknown || b == Truth::unknown)
        return Truth::unknown;
    return Truth::yes;
}

Truth negate(Truth t)
{
    return t == Truth::unknown ? t : t == Truth::yes ? Truth::no : Truth::yes;
}

Truth from(bool b)
{
    return b ? Truth::yes : Truth::no;
}

// One resolved value: present, absent (or null), or not collected.
struct Value
{
    enum class State
    {
        present,
        absent,
        unknown,
    };

    State state = State::absent;
    bj::value const* json = nullptr;
    std::string_view reason;
};

Value absent()
{
    return {};
}

// Data that was not collected is marked by {"$unknown": "why"}.
bool unknown_marker(bj::value const& v, std::string_view& reason)
{
    // A marker has exactly one key; most objects are ruled out by size
    // before any look-up.
    auto const* object = v.if_object();
    if (!object || object->size() != 1)
        return false;
    auto const* why = object->if_contains(unknown_key);
    if (!why)
        return false;
    reason = why->is_string() ? std::string_view(why->get_string())
                              : std::string_view("not collected");
    return true;
}

// ARM keys are stable in case, but a tolerant lookup costs little and
// spares rules from az's occasional camel-case differences.
bj::value const* child(bj::object const& object, std::string const& key)
{
    if (auto const* exact = object.if_contains(key))
        return exact;
    for (auto const& [k, v] : object)
        if (iequals(k, key))
            return &v;
    return nullptr;
}

struct Binding
{
    FieldPath const* path;
    std::size_t steps; // how many steps of `path` it binds
    bj::value const* element;
};

class Evaluator
{
public:
    Evaluator(Roots const& roots, std::vector<Evidence>* evidence)
        : roots_(roots), evidence_(evidence)
    {
    }

    Verdict run(Condition const& c)
    {
        auto const truth = eval(c);
        return Verdict{truth, truth == Truth::unknown ? reason_ : ""};
    }

    // Calls `visit` with every value `path` names (once for a path
    // without `[*]`).
    template <class Visit>
    void for_each_value(FieldPath const& path, Visit&& visit)
    {
        auto [start, first_step] = start_of(path);
        walk(path, first_step, start, visit);
    }

private:
    Truth eval(Condition const& c)
    {
        switch (c.type) {
        case Condition::Type::all_of: return eval_all(c.children);
        case Condition::Type::any_of: return eval_any(c.children);
        case Condition::Type::not_: return negate(eval(c.children.front()));
        case Condition::Type::field:
        case Condition::Type::value: return eval_field(c);
        case Condition::Type::count: return eval_count(c);
        }
        return Truth::unknown;
    }

    Truth eval_all(std::vector<Condition> const& children)
    {
        auto result = Truth::yes;
        for (auto const& child : children) {
            result = all(result, eval(child));
            if (result == Truth::no && !evidence_)
                return result;
        }
        return result;
    }

    Truth eval_any(std::vector<Condition> const& children)
    {
        auto result = Truth::no;
        for (auto const& child : children) {
            result = negate(all(negate(result), negate(eval(child))));
            if (result == Truth::yes && !evidence_)
                return result;
        }
        return result;
    }

    // A field test holds when it holds for every value the path names.
    Truth eval_field(Condition const& c)
    {
        Value operand;
        if (c.operand_field) {
            operand = single(*c.operand_field);
            if (operand.state == Value::State::unknown)
                return unknown(operand.reason);
        }
        auto const& literal = operand.json ? *operand.json : c.operand;
        bool const compare_absent =
            c.operand_field && operand.state == Value::State::absent;

        auto const check = [&](Value const& v) {
            note(c, v, literal);
            if (v.state == Value::State::unknown)
                return unknown(v.reason);
            if (compare_absent)
                return from(c.op == Op::not_equals || c.op == Op::not_in ||
                            c.op == Op::not_like || c.op == Op::not_contains);
            return test(c.op, v, literal);
        };

        if (c.type == Condition::Type::value)
            return check(
                c.value_is_literal
                    ? Value{Value::State::present, &c.value_literal, {}}
                    : single(c.field));

        // Without [*] a path names one value, present or not; with [*]
        // the test must hold for every element, and holds for none.
        auto result = Truth::yes;
        for_each_value(c.field,
                       [&](Value const& v) { result = all(result, check(v)); });
        return result;
    }

    Truth eval_count(Condition const& c)
    {
        std::size_t yes = 0;
        std::size_t maybe = 0;
        bool unknown_array = false;
        std::string_view why;

        auto [start, first_step] = start_of(c.field);
        count_walk(c, first_step, start, yes, maybe, unknown_array, why);
        if (unknown_array)
            return unknown(why);

        // Every count between the sure and the possible must agree.
        auto const target = c.operand.to_number<double>();
        auto verdict = compare_count(c.op, static_cast<double>(yes), target);
        for (auto n = yes + 1; n <= yes + maybe; ++n)
            if (compare_count(c.op, static_cast<double>(n), target) != verdict)
                return unknown(why);
        if (evidence_)
            evidence_->push_back(
                {"count(" + c.field.text + ")",
                 std::to_string(yes) +
                     (maybe ? " (+" + std::to_string(maybe) + " unknown)" : ""),
                 std::string(name_of(c.op)) + " " + bj::serialize(c.operand)});
        return from(verdict);
    }

    static bool compare_count(Op op, double n, double target)
    {
        switch (op) {
        case Op::equals: return n == target;
        case Op::not_equals: return n != target;
        case Op::greater: return n > target;
        case Op::greater_or_equals: return n >= target;
        case Op::less: return n < target;
        case Op::less_or_equals: return n <= target;
        default: return false;
        }
    }

    void count_walk(Condition const& c, std::size_t step, bj::value const* at,
                    std::size_t& yes, std::size_t& maybe, bool& unknown_array,
                    std::string_view& why)
    {
        std::string_view reason;
        if (!at)
            return;
        if (unknown_marker(*at, reason)) {
            unknown_array = true;
            why = reason;
            return;
        }
        if (step == c.field.steps.size()) {
            auto const t =
                c.children.empty() ? Truth::yes : eval(c.children.front());
            if (t == Truth::yes)
                ++yes;
            else if (t == Truth::unknown) {
                ++maybe;
                why = reason_;
            }
            return;
        }

        auto const& s = c.field.steps[step];
        if (!s.each) {
            auto const* object = at->if_object();
            count_walk(c, step + 1, object ? child(*object, s.key) : nullptr,
                       yes, maybe, unknown_array, why);
            return;
        }
        auto const* array = at->if_array();
        if (!array)
            return;
        for (auto const& element : *array) {
            bindings_.push_back({&c.field, step + 1, &element});
            count_walk(c, step + 1, &element, yes, maybe, unknown_array, why);
            bindings_.pop_back();
        }
    }

    // Where resolution of `path` begins: the element of the innermost
    // count that binds a prefix of it, or its root.
    std::pair<bj::value const*, std::size_t> start_of(FieldPath const& path)
    {
        for (auto b = bindings_.rbegin(); b != bindings_.rend(); ++b)
            if (starts_with(path, *b->path, b->steps))
                return {b->element, b->steps};
        switch (path.root) {
        case Root::speech: return {roots_.speech, 0};
        case Root::storage: return {roots_.storage, 0};
        case Root::blob_service: return {roots_.blob_service, 0};
        case Root::pair: return {roots_.pair, 0};
        }
        return {nullptr, 0};
    }

    template <class Visit>
    void walk(FieldPath const& path, std::size_t step, bj::value const* at,
              Visit& visit)
    {
        std::string_view reason;
        if (at && unknown_marker(*at, reason)) {
            visit(Value{Value::State::unknown, nullptr, reason});
            return;
        }
        if (step == path.steps.size()) {
            visit(at && !at->is_null() ? Value{Value::State::present, at, {}}
                                       : absent());
            return;
        }
        auto const& s = path.steps[step];
        if (s.each) {
            auto const* array = at ? at->if_array() : nullptr;
            if (array)
                for (auto const& element : *array)
                    walk(path, step + 1, &element, visit);
            return;
        }
        auto const* object = at ? at->if_object() : nullptr;
        walk(path, step + 1, object ? child(*object, s.key) : nullptr, visit);
    }

    Value single(FieldPath const& path)
    {
        Value out;
        for_each_value(path, [&](Value const& v) {
            if (out.state != Value::State::unknown)
                out = v;
        });
        return out;
    }

    Truth unknown(std::string_view why)
    {
        if (reason_.empty())
            reason_ = std::string(why);
        return Truth::unknown;
    }

    void note(Condition const& c, Value const& v, bj::value const& operand)
    {
        if (!evidence_)
            return;
        std::string found = v.state == Value::State::present
                                ? bj::serialize(*v.json)
                            : v.state == Value::State::unknown
                                ? "unknown (" + std::string(v.reason) + ")"
                                : "absent";
        auto const left =
            c.value_is_literal ? bj::serialize(c.value_literal) : c.field.text;
        evidence_->push_back(
            {left, std::move(found),
             std::string(name_of(c.op)) + " " +
                 (c.operand_field ? c.operand_field->text + " (" +
                                        bj::serialize(operand) + ")"
                                  : bj::serialize(operand))});
    }

    static Truth test(Op op, Value const& v, bj::value const& operand);

    Roots const& roots_;
    std::vector<Evidence>* evidence_;
    std::vector<Binding> bindings_;
    std::string reason_;
};

bool loose_equals(bj::value const& a, bj::value const& b)
{
    if (a.is_string() && b.is_string())
        return iequals(a.get_string(), b.get_string());
    if (a.is_bool() && b.is_string())
        return iequals(b.get_string(), a.get_bool() ? "true" : "false");
    if (a.is_string() && b.is_bool())
        return loose_equals(b, a);
    if (a.is_number() && b.is_number())
        return a.to_number<double>() == b.to_number<double>();
    return a == b;
}

bool value_contains(bj::value const& v, bj::value const& operand)
{
    if (v.is_string() && operand.is_string())
        return icontains(v.get_string(), operand.get_string());
    if (auto const* array = v.if_array())
        return std::any_of(
            array->begin(), array->end(),
            [&](bj::value const& e) { return loose_equals(e, operand); });
    return false;
}

Truth Evaluator::test(Op op, Value const& v, bj::value const& operand)
{
    bool const present = v.state == Value::State::present;
    switch (op) {
    case Op::exists: return from(present == operand.get_bool());
    case Op::equals: return from(present && loose_equals(*v.json, operand));
    case Op::not_equals:
        return from(!present || !loose_equals(*v.json, operand));
    case Op::in:
    case Op::not_in: {
        bool found = false;
        if (present && operand.is_array())
            for (auto const& candidate : operand.get_array())
                found = found || loose_equals(*v.json, candidate);
        return from(op == Op::in ? found : !found);
    }
    case Op::like:
    case Op::not_like: {
        bool const hit = present && v.json->is_string() &&
                         operand.is_string() &&
                         ilike(v.json->get_string(), operand.get_string());
        return from(op == Op::like ? hit : !hit);
    }
    case Op::contains:
    case Op::not_contains: {
        bool const hit = present && value_contains(*v.json, operand);
        return from(op == Op::contains ? hit : !hit);
    }
    case Op::greater:
    case Op::greater_or_equals:
    case Op::less:
    case Op::less_or_equals: {
        if (!present || !v.json->is_number() || !operand.is_number())
            return Truth::no;
        auto const a = v.json->to_number<double>();
        auto const b = operand.to_number<double>();
        return from(op == Op::greater             ? a > b
                    : op == Op::greater_or_equals ? a >= b
                    : op == Op::less              ? a < b
                                                  : a <= b);
    }
    }
    return Truth::no;
}

void collect(Condition const& c, std::vector<FieldPath const*>& out)
{
    if (c.type == Condition::Type::field || c.type == Condition::Type::count ||
        (c.type == Condition::Type::value && !c.value_is_literal))
        out.push_back(&c.field);
    if (c.operand_field)
        out.push_back(&*c.operand_field);
    for (auto const& child : c.children)
        collect(child, out);
}

}

Result<Condition> parse_condition(bj::value const& json,
                                  std::string const& pointer)
{
    auto const* object = json.if_object();
    if (!object || object->empty())
        return error_at(pointer, "expected a condition object");

    if (object->size() == 1 &&
        (object->contains("allOf") || object->contains("anyOf") ||
         object->contains("not")))
        return parse_logical(*object, pointer);
    if (object->contains("field"))
        return parse_field(*object, pointer);
    if (object->contains("value"))
        return parse_value(*object, pointer);
    if (object->contains("count"))
        return parse_count(*object, pointer);
    return error_at(pointer,
                    "expected allOf, anyOf, not, field, value or count");
}

void collect_fields(Condition const& condition,
                    std::vector<FieldPath const*>& out)
{
    collect(condition, out);
}

bj::value make_unknown(std::string_view reason, bj::storage_ptr storage)
{
    return bj::object({{unknown_key, reason}}, std::move(storage));
}

Verdict evaluate(Condition const& condition, Roots const& roots,
                 std::vector<Evidence>* evidence)
{
    return Evaluator(roots, evidence).run(condition);
}

std::string render_field(FieldPath const& path, Roots const& roots)
{
    std::vector<std::string> parts;
    bool unknown = false;
    Evaluator(roots, nullptr).for_each_value(path, [&](auto const& v) {
        using State = decltype(v.state);
        if (v.state == State::unknown)
            unknown = true;
        else if (v.state == State::present)
            parts.push_back(v.json->is_string()
                                ? std::string(v.json->get_string())
                                : bj::serialize(*v.json));
    });
    if (unknown)
        return "(unknown)";
    if (parts.empty())
        return "(none)";
    return join(parts, ", ");
}

}
