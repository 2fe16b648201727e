#include "input/loader.hpp"

#include "input/reader.hpp"
#include "model/arm_id.hpp"
#include "util/files.hpp"
#include "json/document.hpp"

namespace byos::input {

using detail::Kind;
using detail::kind_named;

std::vector<std::string> kind_names()
{
    std::vector<std::string> names;
    for (auto const& [name, kind] : detail::kinds)
        names.emplace_back(name);
    return names;
}

Status load_text(std::string_view text, std::string const& name,
                 model::Estate& estate, std::vector<std::string>& warnings,
                 std::string const& kind)
{
    std::optional<Kind> declared;
    if (!kind.empty()) {
        declared = kind_named(kind);
        if (!declared)
            return Error{name, "", "unknown kind '" + kind + "'"};
    }
    auto& arena = estate.arenas.emplace_back();
    auto root = json::parse(text, name, {}, &arena);
    if (!root)
        return root.error();
    auto& document = estate.documents.emplace_back(std::move(*root));
    return detail::Reader(estate, name, text, declared, warnings)
        .load(document);
}

Status load(std::string const& argument, model::Estate& estate,
            std::vector<std::string>& warnings)
{
    // KIND=PATH, when KIND is one of the known names.
    std::string kind;
    std::string path = argument;
    if (auto const eq = argument.find('=');
        eq != std::string::npos && kind_named(argument.substr(0, eq))) {
        kind = argument.substr(0, eq);
        path = argument.substr(eq + 1);
    }

    auto text = read_text_file(path);
    if (!text)
        return text.error();
    return load_text(*text, path, estate, warnings, kind);
}

void finish(model::Estate& estate)
{
    estate.speech_by_storage.clear();
    for (auto const& speech : estate.speech_accounts)
        for (auto const& storage : model::user_owned_storage(speech))
            estate.speech_by_storage[model::id_key(storage.resource_id)]
                .push_back(&speech);
}

}
