#pragma once

// Parsing of user-supplied JSON: every failure becomes an Error that names
// the file, the line and column, and what is wrong.

#include "util/error.hpp"

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace byos::json {

// Deeper than any ARM response or snapshot; deeper input is refused instead
// of exhausting the stack.
inline constexpr std::size_t max_nesting = 64;

struct ParseOptions
{
    bool allow_comments = false; // also allows trailing commas
};

// Parses `text`; `path` only names the file in errors. The value's memory
// comes from `storage`: pass a monotonic arena that outlives the value for
// large documents, which then cost nothing to destroy.
Result<boost::json::value> parse(std::string_view text, std::string const& path,
                                 ParseOptions options = {},
                                 boost::json::storage_ptr storage = {});

}
