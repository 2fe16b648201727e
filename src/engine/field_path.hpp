#pragma once

// Field paths of the condition language: a root (`speech`, `storage`,
// `blobService`, `pair`) followed by `.key` and `[*]` steps, as in Azure
// Policy aliases. Paths are parsed once, when a rule is loaded.

#include "util/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace byos::engine {

enum class Root
{
    speech,
    storage,
    blob_service,
    pair,
};

struct Step
{
    bool each = false; // `[*]`
    std::string key;   // the property name otherwise
};

struct FieldPath
{
    Root root = Root::speech;
    std::vector<Step> steps;
    std::string text; // as written in the rule

    bool has_each() const;
};

// Parses `text`. On failure the Error holds only the message; the caller
// adds the file and the place in it.
Result<FieldPath> parse_field_path(std::string_view text);

// True when the first `count` steps of `path` equal those of `prefix`
// (same root; keys compared ignoring ASCII case).
bool starts_with(FieldPath const& path, FieldPath const& prefix,
                 std::size_t count);

}
