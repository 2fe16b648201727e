#pragma once

// A rule of the catalog: data read from one JSON file (docs/rule-format.md)
// and checked when it is loaded, so that a malformed rule stops the tool
// with the file and the JSON path instead of silently never firing.

#include "engine/condition.hpp"
#include "util/error.hpp"
#include "util/names.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace byos::engine {

enum class Level
{
    note,
    warning,
    error,
};

inline constexpr std::array<NameRow<Level>, 3> level_names = {{
    {"error", Level::error},
    {"warning", Level::warning},
    {"note", Level::note},
}};

char const* to_string(Level level);

enum class Scenario : unsigned
{
    stt = 1,
    tts = 2,
    both = 4,
};

inline constexpr std::array<NameRow<Scenario>, 3> scenario_names = {{
    {"stt", Scenario::stt},
    {"tts", Scenario::tts},
    {"both", Scenario::both},
}};

char const* to_string(Scenario scenario);

// Ignores ASCII case, as the byos-audit-scenario tag is written by people.
std::optional<Scenario> scenario_named(std::string_view name);

// Which Speech accounts a rule looks at.
enum class AppliesTo
{
    speech, // every SpeechServices account
    byos,   // accounts with userOwnedStorage
    pair,   // BYOS accounts whose storage account was read
};

inline constexpr std::array<NameRow<AppliesTo>, 3> applies_to_names = {{
    {"speech", AppliesTo::speech},
    {"byos", AppliesTo::byos},
    {"pair", AppliesTo::pair},
}};

// Where a finding lands: the resource on which the fix is made.
enum class Target
{
    speech,
    storage,
    subscription,
};

inline constexpr std::array<NameRow<Target>, 3> target_names = {{
    {"speech", Target::speech},
    {"storage", Target::storage},
    {"subscription", Target::subscription},
}};

char const* to_string(Target target);

// A message with `{field.path}` placeholders.
struct MessageTemplate
{
    struct Part
    {
        std::string text;               // literal text, or
        std::optional<FieldPath> field; // a placeholder
    };
    std::vector<Part> parts;

    std::string render(Roots const& roots) const;
};

struct Rule
{
    std::string id;
    std::string name;
    std::string title;
    Level level = Level::warning;
    unsigned scenarios = 0; // bitmask of Scenario
    bool speech_studio_only = false;
    AppliesTo applies_to = AppliesTo::pair;
    Target resource = Target::speech;
    Condition condition;
    MessageTemplate message;
    std::string message_text; // the template as written
    std::string rationale;
    std::string guidance;
    std::string remediation_az;
    std::vector<std::string> remediation_portal;
    std::string help_uri;
    std::vector<std::string> tags;
    std::string file; // where it was read from

    bool applies_in(Scenario scenario) const
    {
        return (scenarios & static_cast<unsigned>(scenario)) != 0;
    }
};

// Parses and checks one rule file's text; `file` names it in errors.
Result<Rule> parse_rule(std::string_view text, std::string const& file);

}
