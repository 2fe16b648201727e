#include "support/fixture.hpp"

#include "input/loader.hpp"
#include "util/files.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace byos::test {

namespace bj = boost::json;

std::string data_dir()
{
    return BYOS_TEST_DATA_DIR;
}

bj::value read_json(std::string const& path)
{
    auto text = read_text_file(path);
    if (!text)
        throw std::runtime_error(text.error().describe());
    return bj::parse(*text);
}

void merge_patch(bj::value& target, bj::value const& patch)
{
    if (!patch.is_object()) {
        if (patch.is_string() && patch.get_string() == "$null")
            target = nullptr;
        else
            target = patch;
        return;
    }
    if (!target.is_object())
        target = bj::object();
    auto& object = target.get_object();
    for (auto const& [key, value] : patch.get_object()) {
        if (value.is_null())
            object.erase(key);
        else
            merge_patch(object[key], value);
    }
}

namespace {

bj::value& at(bj::value& root, std::vector<std::string> const& path)
{
    bj::value* v = &root;
    for (auto const& step : path) {
        if (v->is_array())
            v = &v->get_array().at(std::stoul(step));
        else
            v = &v->get_object().at(step);
    }
    return *v;
}

}

void patch_snapshot(bj::value& snapshot, bj::object const& patch)
{
    using Path = std::vector<std::string>;
    auto const part = [](std::string_view name) -> Path {
        if (name == "speech")
            return {"collections", "speechAccounts", "0", "pages",
                    "0",           "value",          "0"};
        if (name == "storage")
            return {"collections", "storageAccounts", "0", "body"};
        if (name == "blobService")
            return {"collections", "blobServices", "0", "body"};
        if (name == "feature")
            return {"collections", "features", "0", "body"};
        if (name == "subscription")
            return {"collections", "subscriptions", "0", "pages",
                    "0",           "value",         "0"};
        if (name == "roleAssignments")
            return {"collections", "roleAssignments", "0", "pages", "0",
                    "value"};
        if (name == "roleDefinitions")
            return {"collections", "roleDefinitions"};
        if (name == "collections")
            return {"collections"};
        throw std::runtime_error("unknown patch part " + std::string(name));
    };

    for (auto const& [name, value] : patch) {
        auto& target = at(snapshot, part(name));
        if (name == "roleAssignments" || name == "roleDefinitions")
            target = value;
        else
            merge_patch(target, value);
    }
}

std::string base_snapshot(bj::object const& patch)
{
    auto snapshot = read_json(data_dir() + "/fixtures/base-pair.snapshot.json");
    patch_snapshot(snapshot, patch);
    return bj::serialize(snapshot);
}

engine::Status Audit::status(std::string const& rule,
                             std::string const& speech) const
{
    auto const* r = catalog.find(rule);
    if (!r)
        throw std::runtime_error("no rule " + rule);
    auto const rule_index =
        static_cast<std::size_t>(r - catalog.rules().data());
    for (auto const& o : result.outcomes) {
        auto const& subject = result.subjects[o.subject];
        bool const speech_matches =
            speech.empty() ||
            (subject.speech_id.size() >= speech.size() &&
             subject.speech_id.compare(subject.speech_id.size() - speech.size(),
                                       speech.size(), speech) == 0);
        if (o.rule == rule_index && speech_matches)
            return o.status;
    }
    throw std::runtime_error("no outcome of " + rule + " for '" + speech + "'");
}

std::vector<engine::Finding const*>
Audit::findings(std::string const& rule) const
{
    std::vector<engine::Finding const*> out;
    for (auto const& f : result.findings)
        if (catalog.rules()[f.rule].id == rule)
            out.push_back(&f);
    return out;
}

std::unique_ptr<Audit> audit(std::vector<Document> const& documents,
                             engine::AuditOptions options)
{
    auto catalog = engine::Catalog::builtin();
    if (!catalog)
        throw std::runtime_error(catalog.error().describe());
    auto out = std::make_unique<Audit>(Audit{{}, std::move(*catalog), {}, {}});
    for (auto const& d : documents)
        if (auto error = input::load_text(d.text, d.name, out->estate,
                                          out->warnings, d.kind))
            throw std::runtime_error(error->describe());
    input::finish(out->estate);
    out->result = engine::audit(out->estate, out->catalog, options);
    return out;
}

}
