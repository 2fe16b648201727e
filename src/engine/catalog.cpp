#include "engine/catalog.hpp"

#include "util/files.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <filesystem>

namespace byos::engine {

namespace fs = std::filesystem;

Result<Catalog> Catalog::builtin()
{
    Catalog catalog;
    for (auto const& embedded : embedded_rules()) {
        auto rule = parse_rule(embedded.text, embedded.file);
        if (!rule)
            return rule.error();
        if (auto error = catalog.add(std::move(*rule), false))
            return *error;
    }
    return catalog;
}

Status Catalog::add_directory(std::string const& directory)
{
    std::error_code ec;
    if (!fs::is_directory(directory, ec))
        return Error{directory, "", "is not a directory of rule files"};

    std::vector<fs::path> files;
    for (auto const& entry : fs::directory_iterator(directory, ec))
        if (entry.path().extension() == ".json")
            files.push_back(entry.path());
    if (ec)
        return Error{directory, "", ec.message()};
    std::sort(files.begin(), files.end());

    for (auto const& path : files) {
        auto text = read_text_file(path.string());
        if (!text)
            return text.error();
        auto rule = parse_rule(*text, path.string());
        if (!rule)
            return rule.error();
        if (rule->id != path.stem().string())
            return Error{path.string(), "(at /id)",
                         "the file of rule " + rule->id + " must be named " +
                             rule->id + ".json"};
        if (auto error = add(std::move(*rule), true))
            return error;
    }
    return std::nullopt;
}

Rule const* Catalog::find(std::string_view id) const
{
    for (auto const& rule : rules_)
        if (iequals(rule.id, id))
            return &rule;
    return nullptr;
}

bool Catalog::remove(std::string_view id)
{
    auto const at =
        std::find_if(rules_.begin(), rules_.end(),
                     [&](auto const& r) { return iequals(r.id, id); });
    if (at == rules_.end())
        return false;
    rules_.erase(at);
    return true;
}

bool Catalog::set_level(std::string_view id, Level level)
{
    for (auto& rule : rules_)
        if (iequals(rule.id, id)) {
            rule.level = level;
            return true;
        }
    return false;
}

Status Catalog::add(Rule rule, bool may_replace)
{
    auto const at = std::lower_bound(
        rules_.begin(), rules_.end(), rule.id,
        [](Rule const& r, std::string const& id) { return r.id < id; });
    if (at != rules_.end() && at->id == rule.id) {
        if (!may_replace)
            return Error{rule.file, "(at /id)",
                         "rule " + rule.id + " is also defined in " + at->file};
        *at = std::move(rule);
        return std::nullopt;
    }
    rules_.insert(at, std::move(rule));
    return std::nullopt;
}

}
