#pragma once

// The configuration file, .byos-audit.json, and the BYOS_AUDIT_
// environment variables: two more layers under the command line. A
// setting comes from the command line, else the environment, else the
// file, else its default; `byos-audit config` shows which.

#include "engine/pair_facts.hpp"
#include "engine/rule.hpp"
#include "triage/triage.hpp"
#include "util/error.hpp"
#include "json/source_index.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace byos::cli {

inline constexpr char const* config_file_name = ".byos-audit.json";

// How a setting that all three layers know is written.
enum class SettingKind
{
    text, // one value
    flag, // true or false
    list, // several values; comma-separated in the environment
};

// A setting of the command line that the environment and the file can
// set too. `key` names it in the file; the variable is BYOS_AUDIT_ and the
// option's name in upper case with `_` for `-`.
struct LayeredSetting
{
    char const* option;
    char const* key;
    SettingKind kind;
    bool scan_only; // not passed to other commands
    bool path;      // relative to the file's folder when in the file
};

std::vector<LayeredSetting> const& layered_settings();

// "fail-on" gives "BYOS_AUDIT_FAIL_ON".
std::string environment_name(std::string_view option);

// A rule the file turns off or gives another level.
struct RuleOverride
{
    std::string rule;
    bool off = false;
    engine::Level level = engine::Level::warning;
    std::string file;
    json::Position at;
};

struct ConfigValue
{
    std::vector<std::string> values; // a flag is "true" or "false"
    json::Position at;
};

struct ConfigFile
{
    std::string file;
    std::map<std::string, ConfigValue> settings; // by option name
    std::vector<RuleOverride> rules;
    std::vector<engine::ScenarioPattern> scenarios;
    std::vector<triage::Suppression> suppressions;
};

// The file in `directory` or the nearest parent that has one, looking no
// higher than the folder that holds `.git`; outside a repository only
// `directory` itself.
std::optional<std::string> find_config(std::string const& directory);

// Reads and checks a configuration file: JSON with comments and trailing
// commas. An unknown key, a value of the wrong type, an unknown rule
// level, a bad date or a suppression without a justification is an Error
// that names the file, the line and the key.
Result<ConfigFile> read_config(std::string const& path);
Result<ConfigFile> parse_config(std::string_view text, std::string const& path);

}
