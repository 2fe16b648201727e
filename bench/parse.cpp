// byos-bench-parse: the baseline of the scale benchmark. It reads FILE the
// way byos-audit does and parses it with Boost.JSON's defaults, then exits
// without output: its time and memory are what reading the JSON costs
// before any auditing.
//
//   byos-bench-parse FILE

#include "util/files.hpp"

#include <boost/json/parse.hpp>

#include <cstdio>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: byos-bench-parse FILE\n");
        return 2;
    }

    auto const text = byos::read_text_file(argv[1]);
    if (!text) {
        std::fprintf(stderr, "byos-bench-parse: %s\n",
                     text.error().describe().c_str());
        return 1;
    }

    boost::system::error_code ec;
    auto const document = boost::json::parse(*text, ec);
    if (ec) {
        std::fprintf(stderr, "byos-bench-parse: %s: %s\n", argv[1],
                     ec.message().c_str());
        return 1;
    }
    return document.is_object() ? 0 : 1;
}
