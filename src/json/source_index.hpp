#pragma once

// Source positions for JSON values. Boost.JSON's DOM does not remember where
// a value came from, so after a document parses, one linear pass over its
// text finds where the objects the loader cares about begin. Findings carry
// these positions, so a report can point at the line of a resource.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace byos::json {

struct Position
{
    std::uint32_t line = 0;   // 1-based; 0 means unknown
    std::uint32_t column = 0; // 1-based, in Unicode code points
};

// Turns a byte offset of `text` into a line and column.
Position position_of_offset(std::string_view text, std::size_t offset);

// "line 3, column 7", as errors name a place; empty when `at` is unknown.
std::string line_column(Position at);

// "FILE:3", as notices name a declaration; `file` alone when the line is
// unknown.
std::string file_line(std::string const& file, Position at);

// For each RFC 6901 pointer in `pointers` ("/value/3"), the position where
// the value it names begins in `text`, which must be valid JSON. Pointers
// that name nothing get an unknown position.
std::vector<Position> locate(std::string_view text,
                             std::vector<std::string> const& pointers);

// Appends one reference token to a pointer, escaping `~` and `/`.
void append_pointer_token(std::string& pointer, std::string_view token);
void append_pointer_index(std::string& pointer, std::size_t index);

}
