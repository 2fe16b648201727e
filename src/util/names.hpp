#pragma once

// Tables that map names to enum values, for the rule language, the command
// line and the snapshot format: one lookup in each direction, so a new name
// is one row in one table.

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace byos {

template <class E>
using NameRow = std::pair<std::string_view, E>;

template <class E, std::size_t N>
std::optional<E> find_by_name(std::array<NameRow<E>, N> const& table,
                              std::string_view name)
{
    for (auto const& [n, e] : table)
        if (n == name)
            return e;
    return std::nullopt;
}

template <class E, std::size_t N>
std::string_view name_in(std::array<NameRow<E>, N> const& table, E value)
{
    for (auto const& [n, e] : table)
        if (e == value)
            return n;
    return "?";
}

// "a, b or c", for error messages.
template <class E, std::size_t N>
std::string names_of(std::array<NameRow<E>, N> const& table)
{
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
        if (i)
            out += i + 1 == N ? " or " : ", ";
        out += table[i].first;
    }
    return out;
}

}
