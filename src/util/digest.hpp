#pragma once

// Digests with OpenSSL, for the places where a standard one is required
// (the HTML report's Content-Security-Policy names its inline script and
// style by their SHA-256).

#include <string>
#include <string_view>

namespace byos {

// The SHA-256 of `data`, in standard base64 with padding.
std::string sha256_base64(std::string_view data);

}
