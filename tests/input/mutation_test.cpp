// Damaged input never crashes or hangs the tool: each of many
// deterministic mutations of a real snapshot either loads and audits, or
// fails with an Error that names the file. Run under the sanitizers, this
// is also a memory-safety check of the reader and the engine.

#include "input/loader.hpp"
#include "support/fixture.hpp"
#include "util/files.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace byos;

namespace {

// One damaged copy of `text`, chosen by `kind` and the generator.
std::string mutate(std::string text, int kind, std::mt19937& random)
{
    auto const at = [&](std::size_t size) {
        return std::uniform_int_distribution<std::size_t>(0, size - 1)(random);
    };
    switch (kind) {
    case 0: // truncated
        text.resize(at(text.size()));
        break;
    case 1: // one byte replaced by a structural or odd one
        text[at(text.size())] = "{}[]\",:0\xff\\n-e"[at(13)];
        break;
    case 2: // a run of bytes deleted
    {
        auto const from = at(text.size());
        text.erase(from, std::min<std::size_t>(1 + at(40), text.size() - from));
        break;
    }
    default: // a run of bytes duplicated elsewhere
    {
        auto const from = at(text.size());
        auto const piece = text.substr(from, 1 + at(60));
        text.insert(at(text.size()), piece);
        break;
    }
    }
    return text;
}

}

BOOST_AUTO_TEST_SUITE(mutation)

BOOST_AUTO_TEST_CASE(damaged_snapshots_load_or_fail_cleanly)
{
    auto const original =
        read_text_file(test::data_dir() + "/fixtures/base-pair.snapshot.json");
    BOOST_REQUIRE(original.has_value());
    auto const catalog = engine::Catalog::builtin();
    BOOST_REQUIRE(catalog.has_value());

    std::mt19937 random(20261203);
    std::size_t loaded = 0, refused = 0;
    for (int i = 0; i < 2000; ++i) {
        auto const text = mutate(*original, i % 4, random);
        model::Estate estate;
        std::vector<std::string> warnings;
        if (auto error = input::load_text(text, "m.json", estate, warnings)) {
            BOOST_TEST(error->file == "m.json");
            BOOST_TEST(!error->message.empty());
            ++refused;
            continue;
        }
        input::finish(estate);
        auto const result = engine::audit(estate, *catalog, {});
        BOOST_TEST(result.outcomes.size() ==
                   result.subjects.size() * catalog->rules().size());
        ++loaded;
    }
    BOOST_TEST_MESSAGE(loaded << " damaged snapshots loaded, " << refused
                              << " refused");
    BOOST_TEST(loaded > 0u);
    BOOST_TEST(refused > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
