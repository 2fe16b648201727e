#include "cli/config.hpp"

#include "util/files.hpp"
#include "util/names.hpp"
#include "util/strings.hpp"
#include "json/document.hpp"

#include <boost/json/value.hpp>

#include <filesystem>

namespace byos::cli {

namespace bj = boost::json;
namespace fs = std::filesystem;

std::vector<LayeredSetting> const& layered_settings()
{
    static std::vector<LayeredSetting> const table = {
        {"scenario", "scenario", SettingKind::text, false, false},
        {"speech-studio", "speech-studio", SettingKind::flag, false, false},
        {"fail-on", "fail-on", SettingKind::text, false, false},
        {"fail-on-new", "fail-on-new", SettingKind::flag, false, false},
        {"format", "format", SettingKind::text, false, false},
        {"rules", "rule-folders", SettingKind::list, false, true},
        {"baseline", "baseline", SettingKind::text, false, true},
        {"sarif-category", "sarif-category", SettingKind::text, false, false},
        {"github", "github", SettingKind::flag, false, false},
        {"subscription", "subscriptions", SettingKind::list, true, false},
        {"resource-group", "resource-groups", SettingKind::list, true, false},
        {"management-group", "management-groups", SettingKind::list, true,
         false},
        {"cloud", "cloud", SettingKind::text, true, false},
    };
    return table;
}

std::string environment_name(std::string_view option)
{
    std::string out = "BYOS_AUDIT_";
    for (char ch : option)
        out += ch == '-' ? '_'
                         : static_cast<char>(
                               std::toupper(static_cast<unsigned char>(ch)));
    return out;
}

std::optional<std::string> find_config(std::string const& directory)
{
    std::error_code ec;
    auto dir = fs::absolute(directory, ec);
    if (ec)
        return std::nullopt;
    // Outside a repository, only `directory` itself is looked at.
    bool in_repository = false;
    for (auto d = dir; !d.empty(); d = d.parent_path()) {
        if (fs::exists(d / ".git", ec)) {
            in_repository = true;
            break;
        }
        if (d == d.parent_path())
            break;
    }
    for (auto d = dir; !d.empty(); d = d.parent_path()) {
        if (fs::is_regular_file(d / config_file_name, ec))
            return fs::proximate(d / config_file_name, ec).string();
        if (!in_repository || fs::exists(d / ".git", ec) ||
            d == d.parent_path())
            break;
    }
    return std::nullopt;
}

namespace {

// The text with every comment turned into spaces (newlines kept), so
// that json::locate, which knows no comments, finds the same lines and
// columns.
std::string blank_comments(std::string_view text)
{
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == '"') {
            for (++i; i < out.size() && out[i] != '"'; ++i)
                if (out[i] == '\\')
                    ++i;
        } else if (out.compare(i, 2, "//") == 0) {
            for (; i < out.size() && out[i] != '\n'; ++i)
                out[i] = ' ';
        } else if (out.compare(i, 2, "/*") == 0) {
            auto const end = out.find("*/", i + 2);
            auto const stop = end == std::string::npos ? out.size() : end + 2;
            for (; i < stop; ++i)
                if (out[i] != '\n')
                    out[i] = ' ';
            --i;
        }
    }
    return out;
}

// Reads one file's JSON into a ConfigFile, naming the line and the key of
// every mistake.
class ConfigReader
{
public:
    ConfigReader(std::string_view text, std::string const& path)
        : text_(blank_comments(text)), path_(path)
    {
    }

    Result<ConfigFile> read(bj::value const& root)
    {
        out_.file = path_;
        auto const* top = root.if_object();
        if (!top)
            return fail("", "a configuration file holds one JSON object");
        for (auto const& [key, value] : *top)
            if (auto error = read_key(key, value))
                return *error;
        return std::move(out_);
    }

private:
    Error fail(std::string const& pointer, std::string const& message) const
    {
        auto const where = json::line_column(position(pointer));
        auto const key = pointer.empty() ? std::string() : pointer.substr(1);
        return Error{path_, where,
                     key.empty() ? message : "'" + key + "': " + message};
    }

    json::Position position(std::string const& pointer) const
    {
        return json::locate(text_, {pointer}).front();
    }

    static std::string pointer_of(std::string_view key)
    {
        std::string out;
        json::append_pointer_token(out, key);
        return out;
    }

    Status read_key(std::string_view key, bj::value const& value)
    {
        auto const pointer = pointer_of(key);
        if (key == "$schema")
            return value.is_string() ? Status{}
                                     : fail(pointer, "must be a string");
        if (key == "rules")
            return read_rules(pointer, value);
        if (key == "scenarios")
            return read_scenarios(pointer, value);
        if (key == "suppressions")
            return read_suppressions(pointer, value);
        for (auto const& s : layered_settings())
            if (key == s.key)
                return read_setting(s, pointer, value);
        return fail(pointer, "unknown key; the keys are " + known_keys());
    }

    static std::string known_keys()
    {
        std::string out;
        for (auto const& s : layered_settings())
            out += std::string(out.empty() ? "" : ", ") + s.key;
        return out + ", rules, scenarios, suppressions and $schema";
    }

    std::string resolve(LayeredSetting const& s, std::string value) const
    {
        if (!s.path || value.empty() || fs::path(value).is_absolute())
            return value;
        auto const base = fs::path(path_).parent_path();
        return base.empty() ? value
                            : (base / value).lexically_normal().string();
    }

    Status read_setting(LayeredSetting const& s, std::string const& pointer,
                        bj::value const& value)
    {
        ConfigValue v;
        v.at = position(pointer);
        switch (s.kind) {
        case SettingKind::flag:
            if (!value.is_bool())
                return fail(pointer, "must be true or false");
            v.values.emplace_back(value.get_bool() ? "true" : "false");
            break;
        case SettingKind::text:
            if (!value.is_string() || value.get_string().empty())
                return fail(pointer, "must be a non-empty string");
            v.values.push_back(resolve(s, std::string(value.get_string())));
            break;
        case SettingKind::list:
            if (!value.is_array())
                return fail(pointer, "must be an array of strings");
            for (std::size_t i = 0; i < value.get_array().size(); ++i) {
                auto const& item = value.get_array()[i];
                if (!item.is_string() || item.get_string().empty())
                    return fail(pointer + "/" + std::to_string(i),
                                "must be a non-empty string");
                v.values.push_back(resolve(s, std::string(item.get_string())));
            }
            break;
        }
        out_.settings[s.option] = std::move(v);
        return std::nullopt;
    }

    Status read_rules(std::string const& pointer, bj::value const& value)
    {
        if (!value.is_object())
            return fail(pointer, "must be an object of rule IDs, each "
                                 "\"off\", \"error\", \"warning\" or "
                                 "\"note\"");
        for (auto const& [id, setting] : value.get_object()) {
            auto const at = pointer + pointer_of(id);
            RuleOverride o;
            o.rule = std::string(id);
            o.file = path_;
            o.at = position(at);
            auto const text = setting.is_string()
                                  ? std::string_view(setting.get_string())
                                  : std::string_view();
            if (text == "off") {
                o.off = true;
            } else if (auto const level =
                           find_by_name(engine::level_names, text)) {
                o.level = *level;
            } else {
                return fail(at, "must be \"off\", \"error\", \"warning\" "
                                "or \"note\"");
            }
            out_.rules.push_back(std::move(o));
        }
        return std::nullopt;
    }

    // Reads the string `key` of `item`; `required` makes absence an error.
    Status member(bj::object const& item, std::string const& pointer,
                  char const* key, bool required, std::string& into) const
    {
        auto const* v = item.if_contains(key);
        if (!v) {
            if (required)
                return fail(pointer, std::string("needs \"") + key + "\"");
            return std::nullopt;
        }
        if (!v->is_string() || trim(v->get_string()).empty())
            return fail(pointer + "/" + key, "must be a non-empty string");
        into = std::string(trim(v->get_string()));
        return std::nullopt;
    }

    Status only_keys(bj::object const& item, std::string const& pointer,
                     std::initializer_list<std::string_view> keys) const
    {
        for (auto const& [key, v] : item) {
            bool known = false;
            for (auto k : keys)
                known = known || key == k;
            if (!known) {
                std::string list;
                for (auto k : keys)
                    list +=
                        std::string(list.empty() ? "" : ", ") + std::string(k);
                return fail(pointer + pointer_of(key),
                            "unknown key; an entry takes " + list);
            }
        }
        return std::nullopt;
    }

    Status read_scenarios(std::string const& pointer, bj::value const& value)
    {
        if (!value.is_array())
            return fail(pointer, "must be an array of {\"resource\", "
                                 "\"scenario\"} objects");
        for (std::size_t i = 0; i < value.get_array().size(); ++i) {
            auto const at = pointer + "/" + std::to_string(i);
            auto const* item = value.get_array()[i].if_object();
            if (!item)
                return fail(at, "must be an object");
            if (auto e = only_keys(*item, at, {"resource", "scenario"}))
                return e;
            engine::ScenarioPattern p;
            std::string scenario;
            if (auto e = member(*item, at, "resource", true, p.resource))
                return e;
            if (auto e = member(*item, at, "scenario", true, scenario))
                return e;
            auto const s = engine::scenario_named(scenario);
            if (!s)
                return fail(at + "/scenario", "must be stt, tts or both");
            p.scenario = *s;
            out_.scenarios.push_back(std::move(p));
        }
        return std::nullopt;
    }

    Status read_suppressions(std::string const& pointer, bj::value const& value)
    {
        if (!value.is_array())
            return fail(pointer, "must be an array of suppressions");
        for (std::size_t i = 0; i < value.get_array().size(); ++i) {
            auto const at = pointer + "/" + std::to_string(i);
            auto const* item = value.get_array()[i].if_object();
            if (!item)
                return fail(at, "must be an object");
            if (auto e = only_keys(
                    *item, at,
                    {"rule", "resource", "justification", "expires", "owner"}))
                return e;
            triage::Suppression s;
            s.file = path_;
            s.at = position(at);
            if (auto e = member(*item, at, "rule", true, s.rule))
                return e;
            if (auto e = member(*item, at, "resource", true, s.resource))
                return e;
            if (auto e =
                    member(*item, at, "justification", true, s.justification))
                return fail(at, "a suppression needs a \"justification\": "
                                "say why the finding is accepted");
            if (auto e = member(*item, at, "expires", true, s.expires))
                return fail(at, "a suppression needs \"expires\" "
                                "(YYYY-MM-DD): exceptions are temporary");
            if (!triage::valid_date(s.expires))
                return fail(at + "/expires",
                            "'" + s.expires +
                                "' is not a date written YYYY-MM-DD");
            if (auto e = member(*item, at, "owner", false, s.owner))
                return e;
            out_.suppressions.push_back(std::move(s));
        }
        return std::nullopt;
    }

    std::string text_; // without comments
    std::string const& path_;
    ConfigFile out_;
};

}

Result<ConfigFile> parse_config(std::string_view text, std::string const& path)
{
    json::ParseOptions options;
    options.allow_comments = true;
    auto root = json::parse(text, path, options);
    if (!root)
        return root.error();
    return ConfigReader(text, path).read(*root);
}

Result<ConfigFile> read_config(std::string const& path)
{
    auto text = read_text_file(path);
    if (!text)
        return text.error();
    return parse_config(*text, path);
}

}
