#include "util/digest.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <climits>

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

std::size_t gzipped_size(std::string_view data)
{
    z_stream stream{};
    // 15 window bits, plus 16 for a gzip header and trailer.
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return SIZE_MAX;

    std::array<unsigned char, 64 * 1024> buffer;
    std::size_t total = 0;
    auto const* next = reinterpret_cast<unsigned char const*>(data.data());
    std::size_t left = data.size();
    int status = Z_OK;
    do {
        // zlib counts input in 32-bit units: feed it in slices.
        if (stream.avail_in == 0 && left > 0) {
            auto const slice = std::min<std::size_t>(left, 1u << 30);
            stream.next_in = const_cast<unsigned char*>(next);
            stream.avail_in = static_cast<uInt>(slice);
            next += slice;
            left -= slice;
        }
        stream.next_out = buffer.data();
        stream.avail_out = static_cast<uInt>(buffer.size());
        status = deflate(&stream, left == 0 ? Z_FINISH : Z_NO_FLUSH);
        total += buffer.size() - stream.avail_out;
    } while (status == Z_OK || status == Z_BUF_ERROR);
    deflateEnd(&stream);
    return status == Z_STREAM_END ? total : SIZE_MAX;
}

}
