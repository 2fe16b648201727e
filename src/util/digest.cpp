#include "util/digest.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace byos {

std::string sha256_base64(std::string_view data)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<unsigned char const*>(data.data()), data.size(),
           digest);
    // Four characters for every three bytes, and a terminating zero.
    unsigned char encoded[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];
    auto const length = EVP_EncodeBlock(encoded, digest, SHA256_DIGEST_LENGTH);
    return std::string(reinterpret_cast<char const*>(encoded),
                       static_cast<std::size_t>(length));
}

}
