#pragma once

// ASCII helpers. ARM treats resource IDs and most enum values as
// case-insensitive, so every comparison of them goes through here.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace byos {

std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);

// Matches Azure Policy's `like`: `*` stands for any run of characters; the
// comparison ignores ASCII case.
bool ilike(std::string_view text, std::string_view pattern);

// Matches an ARM resource ID against a pattern, ignoring ASCII case: `*`
// stands for any run of characters within one path segment, `**` for any
// run across segments (slashes included). Leading and trailing slashes
// are ignored on both sides.
bool id_glob_match(std::string_view pattern, std::string_view id);

// True when `needle` occurs in `haystack`, ignoring ASCII case.
bool icontains(std::string_view haystack, std::string_view needle);

std::string_view trim(std::string_view s);

// Splits on `sep` and trims each part; empty parts are dropped.
std::vector<std::string> split_trimmed(std::string_view s, char sep);

// "West US" and "westus" name the same region: lower case, no spaces.
std::string normalize_region(std::string_view location);

// Lets unordered maps keyed by std::string be searched with a string_view,
// without building a string per look-up.
struct StringHash
{
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const
    {
        return std::hash<std::string_view>{}(s);
    }
};

std::string join(std::vector<std::string> const& parts, std::string_view sep);

}
