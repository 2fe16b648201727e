#pragma once

// The rule catalog: the rules compiled into the binary from rules/*.json,
// plus any folder given with --rules, whose files add rules or replace the
// built-in rule with the same ID.

#include "engine/rule.hpp"
#include "util/error.hpp"

#include <string>
#include <vector>

namespace byos::engine {

struct EmbeddedRule
{
    char const* file;
    char const* text;
};

// Generated at build time from rules/*.json (cmake/embed_rules.cmake).
std::vector<EmbeddedRule> const& embedded_rules();

class Catalog
{
public:
    static Result<Catalog> builtin();

    // Adds every *.json file of `directory`; a file's name must be its
    // rule's ID.
    Status add_directory(std::string const& directory);

    // Rules in ID order.
    std::vector<Rule> const& rules() const { return rules_; }
    Rule const* find(std::string_view id) const;

    // What a configuration file may change: take a rule out, or give it
    // another level. False when there is no rule `id`.
    bool remove(std::string_view id);
    bool set_level(std::string_view id, Level level);

private:
    Status add(Rule rule, bool may_replace);

    std::vector<Rule> rules_;
};

}
