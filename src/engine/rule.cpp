#include "engine/rule.hpp"

#include "json/document.hpp"
#include "json/source_index.hpp"

#include "util/strings.hpp"

#include <array>
#include <cctype>

namespace byos::engine {

namespace bj = boost::json;

// The tables hold string literals, so their names end in a NUL.
char const* to_string(Level level)
{
    return name_in(level_names, level).data();
}

char const* to_string(Scenario scenario)
{
    return name_in(scenario_names, scenario).data();
}

std::optional<Scenario> scenario_named(std::string_view name)
{
    return find_by_name(scenario_names, to_lower(name));
}

char const* to_string(Target target)
{
    return name_in(target_names, target).data();
}

std::string MessageTemplate::render(Roots const& roots) const
{
    std::string out;
    for (auto const& part : parts)
        out += part.field ? render_field(*part.field, roots) : part.text;
    return out;
}

namespace {

// Reads the fields of one rule object, each through a typed accessor that
// reports the JSON path of what is wrong.
class RuleReader
{
public:
    RuleReader(bj::object const& object, std::string const& file,
               std::string_view text)
        : object_(object), file_(file), text_(text)
    {
    }

    Error fail(std::string const& pointer, std::string message) const
    {
        auto where = json::line_column(json::locate(text_, {pointer}).front());
        if (!where.empty())
            where += " ";
        where += "(at " + (pointer.empty() ? std::string("/") : pointer) + ")";
        return Error{file_, where, std::move(message)};
    }

    Result<std::string> string(std::string_view key, bool required = true)
    {
        auto const* v = object_.if_contains(key);
        if (!v) {
            if (!required)
                return std::string();
            return fail("",
                        "missing required field '" + std::string(key) + "'");
        }
        if (!v->is_string() || (required && v->get_string().empty()))
            return fail("/" + std::string(key), "expected a non-empty "
                                                "string");
        return std::string(v->get_string());
    }

    Result<std::vector<std::string>> strings(bj::value const* v,
                                             std::string const& pointer)
    {
        if (!v || !v->is_array() || v->get_array().empty())
            return fail(pointer, "expected a non-empty array of strings");
        std::vector<std::string> out;
        auto const& list = v->get_array();
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (!list[i].is_string() || list[i].get_string().empty())
                return fail(pointer + "/" + std::to_string(i),
                            "expected a non-empty string");
            out.emplace_back(list[i].get_string());
        }
        return out;
    }

    // Maps a string field onto an enum through a table of names.
    template <class E, std::size_t N>
    Result<E> choice(std::string_view key,
                     std::array<NameRow<E>, N> const& names)
    {
        auto value = string(key);
        if (!value)
            return value.error();
        if (auto const e = find_by_name(names, *value))
            return *e;
        return fail("/" + std::string(key), "expected " + names_of(names));
    }

    bj::object const& object_;
    std::string const& file_;
    std::string_view text_;
};

constexpr std::array<std::string_view, 16> known_keys = {
    "id",          "name",      "title",
    "level",       "scenarios", "speechStudioOnly",
    "appliesTo",   "resource",  "condition",
    "message",     "rationale", "guidance",
    "remediation", "helpUri",   "tags",
    "$comment"};

bool is_rule_id(std::string const& id)
{
    if (id.size() != 7 || id.compare(0, 4, "BYOS") != 0)
        return false;
    for (std::size_t i = 4; i < id.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(id[i])))
            return false;
    return true;
}

Result<MessageTemplate> parse_message(std::string const& text)
{
    MessageTemplate message;
    std::size_t at = 0;
    while (at < text.size()) {
        auto const open = text.find('{', at);
        if (open == std::string::npos) {
            message.parts.push_back({text.substr(at), std::nullopt});
            break;
        }
        auto const close = text.find('}', open);
        if (close == std::string::npos)
            return Error{"", "", "unclosed '{' in message"};
        if (open > at)
            message.parts.push_back({text.substr(at, open - at), std::nullopt});
        auto path = parse_field_path(text.substr(open + 1, close - open - 1));
        if (!path)
            return path.error();
        message.parts.push_back({{}, std::move(*path)});
        at = close + 1;
    }
    return message;
}

}

Result<Rule> parse_rule(std::string_view text, std::string const& file)
{
    auto document = json::parse(text, file);
    if (!document)
        return document.error();
    if (!document->is_object())
        return Error{file, "", "a rule file holds one JSON object"};
    auto const& object = document->get_object();
    RuleReader r(object, file, text);

    for (auto const& [key, value] : object) {
        bool known = false;
        for (auto k : known_keys)
            known = known || k == key;
        if (!known)
            return r.fail("/" + std::string(key),
                          "unknown field '" + std::string(key) + "'");
    }

    Rule rule;
    rule.file = file;

#define BYOS_READ(field, expr)                                                 \
    do {                                                                       \
        auto value = (expr);                                                   \
        if (!value)                                                            \
            return value.error();                                              \
        field = std::move(*value);                                             \
    } while (0)

    BYOS_READ(rule.id, r.string("id"));
    if (!is_rule_id(rule.id))
        return r.fail("/id", "expected an ID of the form BYOS000");
    BYOS_READ(rule.name, r.string("name"));
    BYOS_READ(rule.title, r.string("title"));
    BYOS_READ(rule.level, r.choice("level", level_names));
    BYOS_READ(rule.applies_to, r.choice("appliesTo", applies_to_names));
    BYOS_READ(rule.resource, r.choice("resource", target_names));
    BYOS_READ(rule.rationale, r.string("rationale"));
    BYOS_READ(rule.guidance, r.string("guidance"));
    BYOS_READ(rule.help_uri, r.string("helpUri"));
    if (rule.help_uri.rfind("https://", 0) != 0)
        return r.fail("/helpUri", "expected an https:// link");
    BYOS_READ(rule.message_text, r.string("message"));

    std::vector<std::string> scenarios;
    BYOS_READ(scenarios,
              r.strings(object.if_contains("scenarios"), "/scenarios"));
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        auto const s = find_by_name(scenario_names, scenarios[i]);
        if (!s)
            return r.fail("/scenarios/" + std::to_string(i),
                          "expected stt, tts or both");
        rule.scenarios |= static_cast<unsigned>(*s);
    }
    BYOS_READ(rule.tags, r.strings(object.if_contains("tags"), "/tags"));

    if (auto const* studio = object.if_contains("speechStudioOnly")) {
        if (!studio->is_bool())
            return r.fail("/speechStudioOnly", "expected true or false");
        rule.speech_studio_only = studio->get_bool();
    }

    auto const* remediation = object.if_contains("remediation");
    if (!remediation || !remediation->is_object())
        return r.fail("/remediation", "expected {\"az\": ..., "
                                      "\"portal\": [...]}");
    for (auto const& [key, value] : remediation->get_object())
        if (key != "az" && key != "portal")
            return r.fail("/remediation/" + std::string(key),
                          "unknown field '" + std::string(key) + "'");
    auto const* az = remediation->get_object().if_contains("az");
    if (!az || !az->is_string() || az->get_string().empty())
        return r.fail("/remediation/az", "expected an az command");
    rule.remediation_az = az->get_string();
    BYOS_READ(rule.remediation_portal,
              r.strings(remediation->get_object().if_contains("portal"),
                        "/remediation/portal"));

#undef BYOS_READ

    auto const* condition = object.if_contains("condition");
    if (!condition)
        return r.fail("", "missing required field 'condition'");
    auto parsed = parse_condition(*condition, "/condition");
    if (!parsed)
        return r.fail(parsed.error().where, parsed.error().message);
    rule.condition = std::move(*parsed);

    auto message = parse_message(rule.message_text);
    if (!message)
        return r.fail("/message", message.error().message);
    rule.message = std::move(*message);
    return rule;
}

}
