#pragma once

// Digests and sizes computed with well-kept libraries where a standard
// algorithm is required: the HTML report's Content-Security-Policy names
// its inline script and style by their SHA-256 (OpenSSL), and GitHub
// limits a SARIF upload by its gzipped size (zlib).

#include <cstddef>
#include <string>
#include <string_view>

namespace byos {

// The SHA-256 of `data`, in standard base64 with padding.
std::string sha256_base64(std::string_view data);

// How many bytes `data` takes gzipped at zlib's default level, as GitHub's
// upload action compresses it. Nothing is kept: the output is counted in a
// small buffer and dropped.
std::size_t gzipped_size(std::string_view data);

}
