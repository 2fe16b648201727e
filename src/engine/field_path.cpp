#include "engine/field_path.hpp"

#include "engine/pair_facts.hpp"
#include "util/names.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <array>

namespace byos::engine {

namespace {

constexpr std::array<NameRow<Root>, 4> roots = {{
    {"speech", Root::speech},
    {"storage", Root::storage},
    {"blobService", Root::blob_service},
    {"pair", Root::pair},
}};

}

bool FieldPath::has_each() const
{
    return std::any_of(steps.begin(), steps.end(),
                       [](Step const& s) { return s.each; });
}

Result<FieldPath> parse_field_path(std::string_view text)
{
    FieldPath path;
    path.text = std::string(text);

    auto const dot = text.find_first_of(".[");
    auto const root = text.substr(0, dot);
    auto const known = find_by_name(roots, root);
    if (!known)
        return Error{"", "",
                     "field '" + path.text +
                         "' must start with speech., storage., "
                         "blobService. or pair."};
    path.root = *known;

    auto rest =
        dot == std::string_view::npos ? std::string_view() : text.substr(dot);
    while (!rest.empty()) {
        if (rest.substr(0, 3) == "[*]") {
            path.steps.push_back(Step{true, {}});
            rest.remove_prefix(3);
            continue;
        }
        if (rest.front() != '.')
            return Error{"", "",
                         "field '" + path.text +
                             "': expected '.' or '[*]' at '" +
                             std::string(rest) + "'"};
        rest.remove_prefix(1);
        auto const end = rest.find_first_of(".[");
        auto const key = rest.substr(0, end);
        if (key.empty())
            return Error{"", "", "field '" + path.text + "' has an empty step"};
        path.steps.push_back(Step{false, std::string(key)});
        rest = end == std::string_view::npos ? std::string_view()
                                             : rest.substr(end);
    }

    if (path.steps.empty() || path.steps.front().each)
        return Error{"", "",
                     "field '" + path.text + "' names no property of its root"};
    if (path.root == Root::pair && !is_known_fact(path.steps.front().key))
        return Error{"", "",
                     "field '" + path.text + "': unknown fact 'pair." +
                         path.steps.front().key + "'"};
    return path;
}

bool starts_with(FieldPath const& path, FieldPath const& prefix,
                 std::size_t count)
{
    if (path.root != prefix.root || path.steps.size() < count ||
        prefix.steps.size() < count)
        return false;
    for (std::size_t i = 0; i < count; ++i) {
        auto const& a = path.steps[i];
        auto const& b = prefix.steps[i];
        if (a.each != b.each || (!a.each && !iequals(a.key, b.key)))
            return false;
    }
    return true;
}

}
