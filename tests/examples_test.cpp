// The bundled example estate does what examples/estate/README.md says: its
// table of expected findings is read here and compared with the audit.

#include "input/loader.hpp"
#include "model/arm_id.hpp"
#include "support/fixture.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

using namespace byos;
namespace fs = std::filesystem;

namespace {

using Expected = std::map<std::string, std::set<std::string>>;

std::set<std::string> ids_in(std::string const& cell)
{
    std::set<std::string> ids;
    std::istringstream words(cell);
    for (std::string word; words >> word;)
        if (word.rfind("BYOS", 0) == 0)
            ids.insert(word);
    return ids;
}

// Speech resource name to expected rule IDs, from the README table's
// "default" (column 4) or "--speech-studio" (column 5) column.
Expected expected_from_readme(std::size_t column)
{
    auto const text = read_text_file(std::string(BYOS_SOURCE_DIR) +
                                     "/examples/estate/README.md");
    BOOST_REQUIRE(text.has_value());
    Expected expected;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("| ", 0) != 0)
            continue;
        std::vector<std::string> cells = split_trimmed(line, '|');
        if (cells.size() < 6 || cells[1] != "SpeechServices")
            continue;
        expected[cells[0]] = ids_in(cells[column]);
    }
    return expected;
}

Expected audit_examples(bool speech_studio)
{
    auto const root = std::string(BYOS_SOURCE_DIR) + "/examples/estate";
    std::vector<std::string> files;
    for (auto const& dir : {root, root + "/fabrikam-eu"})
        for (auto const& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".json")
                files.push_back(e.path().string());

    auto catalog = engine::Catalog::builtin();
    model::Estate estate;
    std::vector<std::string> warnings;
    for (auto const& f : files)
        BOOST_REQUIRE(!input::load(f, estate, warnings).has_value());
    input::finish(estate);
    BOOST_TEST(warnings.empty());

    engine::AuditOptions options;
    options.speech_studio = speech_studio;
    auto const result = engine::audit(estate, *catalog, options);
    BOOST_TEST(result.complete());

    Expected found;
    for (auto const& s : result.subjects)
        found[std::string(model::last_segment(s.speech_id))];
    for (auto const& o : result.outcomes)
        if (o.status == engine::Status::failed)
            found[std::string(model::last_segment(
                      result.subjects[o.subject].speech_id))]
                .insert(catalog->rules()[o.rule].id);
    return found;
}

}

BOOST_AUTO_TEST_SUITE(examples)

BOOST_AUTO_TEST_CASE(default_run_matches_the_readme_table)
{
    auto const expected = expected_from_readme(4);
    BOOST_TEST(expected.size() == 9u);
    BOOST_TEST(audit_examples(false) == expected);
}

BOOST_AUTO_TEST_CASE(speech_studio_run_matches_the_readme_table)
{
    auto const expected = expected_from_readme(5);
    BOOST_TEST(audit_examples(true) == expected);
}

BOOST_AUTO_TEST_CASE(together_the_runs_trip_every_rule)
{
    std::set<std::string> tripped;
    for (auto const& [name, ids] : audit_examples(true))
        tripped.insert(ids.begin(), ids.end());
    BOOST_TEST(tripped.size() == engine::Catalog::builtin()->rules().size());
}

BOOST_AUTO_TEST_SUITE_END()
