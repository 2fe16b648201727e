// GitHub refuses a SARIF file over 10 MB gzipped; the check must measure
// the compressed size, not the raw one, and refuse only what is too big.

#include "report/report.hpp"
#include "util/digest.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

namespace {

// Bytes that deflate cannot shrink.
std::string noise(std::size_t size)
{
    std::mt19937 random(42);
    std::string out(size, '\0');
    for (auto& c : out)
        c = static_cast<char>(random() & 0xFF);
    return out;
}

}

BOOST_AUTO_TEST_SUITE(report)

BOOST_AUTO_TEST_CASE(gzipped_size_counts_the_gzip_stream)
{
    // A gzip frame of nothing: 10-byte header, empty final block, trailer.
    BOOST_TEST(byos::gzipped_size("") == 20u);

    std::string const repeated(1 << 20, 'a');
    BOOST_TEST(byos::gzipped_size(repeated) < 5'000u);

    auto const random = noise(300'000);
    auto const size = byos::gzipped_size(random);
    BOOST_TEST(size > random.size());
    BOOST_TEST(size < random.size() + 200);
}

BOOST_AUTO_TEST_CASE(sarif_size_is_judged_gzipped)
{
    using byos::report::check_sarif_size;
    constexpr std::size_t limit = 100'000;

    BOOST_TEST(!check_sarif_size("{}", limit));
    // Ten times the limit, but it compresses far below it.
    BOOST_TEST(!check_sarif_size(std::string(10 * limit, ' '), limit));

    auto const error = check_sarif_size(noise(2 * limit), limit);
    BOOST_REQUIRE(error);
    BOOST_TEST(error->message.find("gzipped") != std::string::npos);
    BOOST_TEST(error->message.find("100000") != std::string::npos);

    BOOST_TEST(byos::report::github_max_gzipped == 10'000'000u);
}

BOOST_AUTO_TEST_SUITE_END()
