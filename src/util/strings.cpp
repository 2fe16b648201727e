#include "util/strings.hpp"

#include <algorithm>
#include <cctype>

namespace byos {

namespace {

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}

std::string to_lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

bool iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

bool istarts_with(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() &&
           iequals(s.substr(0, prefix.size()), prefix);
}

bool ilike(std::string_view text, std::string_view pattern)
{
    // Greedy wildcard match with one backtrack point, linear in practice.
    std::size_t t = 0, p = 0;
    std::size_t star = std::string_view::npos, resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && lower(pattern[p]) == lower(text[t])) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool icontains(std::string_view haystack, std::string_view needle)
{
    if (needle.size() > haystack.size())
        return false;
    for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i)
        if (iequals(haystack.substr(i, needle.size()), needle))
            return true;
    return false;
}

std::string_view trim(std::string_view s)
{
    auto const blank = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    };
    while (!s.empty() && blank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && blank(s.back()))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string> split_trimmed(std::string_view s, char sep)
{
    std::vector<std::string> parts;
    while (true) {
        auto const at = s.find(sep);
        auto const part = trim(s.substr(0, at));
        if (!part.empty())
            parts.emplace_back(part);
        if (at == std::string_view::npos)
            return parts;
        s.remove_prefix(at + 1);
    }
}

std::string normalize_region(std::string_view location)
{
    std::string out;
    out.reserve(location.size());
    for (char c : location)
        if (c != ' ')
            out.push_back(lower(c));
    return out;
}

std::string join(std::vector<std::string> const& parts, std::string_view sep)
{
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i)
            out += sep;
        out += parts[i];
    }
    return out;
}

}

namespace byos {

namespace {

std::string_view strip_slashes(std::string_view s)
{
    while (!s.empty() && s.front() == '/')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == '/')
        s.remove_suffix(1);
    return s;
}

bool same_char(char a, char b)
{
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
}

// Backtracking over `*` and `**`; patterns and IDs are short.
bool glob_from(std::string_view p, std::string_view s)
{
    while (!p.empty()) {
        if (p.substr(0, 2) == "**") {
            auto const rest = p.substr(2);
            for (std::size_t i = 0; i <= s.size(); ++i)
                if (glob_from(rest, s.substr(i)))
                    return true;
            // "a/**/b" holds "a/b" too: `**/` may stand for no segment.
            return !rest.empty() && rest.front() == '/' &&
                   glob_from(rest.substr(1), s);
        }
        if (p.front() == '*') {
            auto const rest = p.substr(1);
            for (std::size_t i = 0; i <= s.size(); ++i) {
                if (glob_from(rest, s.substr(i)))
                    return true;
                if (i < s.size() && s[i] == '/')
                    return false;
            }
            return false;
        }
        if (s.empty() || !same_char(p.front(), s.front()))
            return false;
        p.remove_prefix(1);
        s.remove_prefix(1);
    }
    return s.empty();
}

}

bool id_glob_match(std::string_view pattern, std::string_view id)
{
    return glob_from(strip_slashes(pattern), strip_slashes(id));
}

}
