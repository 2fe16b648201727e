#include "json/document.hpp"

#include "json/source_index.hpp"

#include <boost/json/stream_parser.hpp>

#include <cmath>
#include <vector>

namespace byos::json {

namespace {

std::string where(std::string_view text, std::size_t offset)
{
    return line_column(position_of_offset(text, offset));
}

std::string explain(boost::system::error_code const& ec)
{
    namespace bj = boost::json;
    if (ec == bj::error::too_deep)
        return "nesting deeper than " + std::to_string(max_nesting) + " levels";
    if (ec == bj::error::syntax)
        return "invalid JSON";
    if (ec == bj::error::incomplete)
        return "unexpected end of file (truncated JSON?)";
    if (ec == bj::error::exponent_overflow)
        return "number out of range";
    if (ec == bj::error::expected_hex_digit ||
        ec == bj::error::illegal_trailing_surrogate ||
        ec == bj::error::illegal_leading_surrogate)
        return "invalid string: " + ec.message();
    if (ec == bj::error::extra_data)
        return "unexpected data after the JSON value";
    return ec.message();
}

// Boost.JSON turns a number too large for a double into infinity instead of
// failing; ARM never sends one, so it is bad input. The pointer of the
// first such number, if any.
bool find_non_finite(boost::json::value const& v,
                     std::vector<std::string>& reversed_path)
{
    if (v.is_double())
        return !std::isfinite(v.get_double());
    // The path is built only on the way back from a find: the walk itself
    // allocates nothing.
    if (auto const* object = v.if_object()) {
        for (auto const& [key, child] : *object)
            if (find_non_finite(child, reversed_path)) {
                std::string token;
                append_pointer_token(token, key);
                reversed_path.push_back(std::move(token));
                return true;
            }
    } else if (auto const* array = v.if_array()) {
        for (std::size_t i = 0; i < array->size(); ++i)
            if (find_non_finite((*array)[i], reversed_path)) {
                std::string token;
                append_pointer_index(token, i);
                reversed_path.push_back(std::move(token));
                return true;
            }
    }
    return false;
}

std::string where_pointer(std::string_view text, std::string const& pointer)
{
    auto out = line_column(locate(text, {pointer}).front());
    if (!out.empty())
        out += " ";
    return out + "(at " + pointer + ")";
}

}

Result<boost::json::value> parse(std::string_view text, std::string const& path,
                                 ParseOptions options,
                                 boost::json::storage_ptr storage)
{
    if (text.empty())
        return Error{path, "", "file is empty"};

    boost::json::parse_options opts;
    opts.max_depth = max_nesting;
    opts.allow_comments = options.allow_comments;
    opts.allow_trailing_commas = options.allow_comments;
    opts.allow_invalid_utf8 = false;

    // The constructor's storage is for the parser's scratch space; the
    // value's own storage is the one given to reset().
    boost::json::stream_parser parser({}, opts);
    parser.reset(std::move(storage));

    boost::system::error_code ec;
    auto const used = parser.write(text.data(), text.size(), ec);
    if (!ec)
        parser.finish(ec);
    if (ec) {
        // On failure `write` reports how far it got: that is where the
        // error is. `finish` fails only at the end of the text.
        auto const offset = used < text.size() ? used : text.size();
        auto message = explain(ec);
        if (offset < text.size() &&
            static_cast<unsigned char>(text[offset]) >= 0x80)
            message = "invalid UTF-8";
        return Error{path, where(text, offset), std::move(message)};
    }

    auto value = parser.release();
    std::vector<std::string> reversed_path;
    if (find_non_finite(value, reversed_path)) {
        std::string pointer;
        for (auto it = reversed_path.rbegin(); it != reversed_path.rend(); ++it)
            pointer += *it;
        return Error{path, where_pointer(text, pointer), "number out of range"};
    }
    return value;
}

}
