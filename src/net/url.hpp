#pragma once

// URLs as the scanner uses them: absolute http(s) URLs split into what a
// connection needs (scheme, host, port) and what a request line needs
// (the target: path and query).

#include "util/error.hpp"

#include <string>
#include <string_view>

namespace byos::net {

struct Url
{
    bool tls = true;
    std::string host;   // without brackets for IPv6
    std::string port;   // always set: "443" or "80" when the URL has none
    std::string target; // "/path?query", never empty

    // "https://host:port", the key connections are pooled by.
    std::string origin() const;
    std::string text() const { return origin() + target; }
};

// Parses an absolute http or https URL. Anything else (no scheme, another
// scheme, user info, an empty host, a bad port) is an Error.
Result<Url> parse_url(std::string_view text);

// `base` with `path` appended, with exactly one slash between them; the
// base's own path is kept (an ARM endpoint behind a path prefix).
Result<Url> join(std::string_view base, std::string_view path);

// Percent-encodes everything but RFC 3986's unreserved characters, for
// query values and form fields.
std::string url_encode(std::string_view text);

}
