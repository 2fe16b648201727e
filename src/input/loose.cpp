#include "input/reader.hpp"

#include "json/source_index.hpp"

namespace byos::input::detail {

Status Reader::load_loose(bj::value const& root)
{
    std::string pointer;
    bj::value const* list = &root;
    if (auto const* object = root.if_object();
        object && is_partial_page(*object)) {
        partial_ = true;
        warnings_.push_back(
            path_ + ": one page of a longer list (it has a nextLink or "
                    "skip token); the later pages are not in the input");
    }
    if (auto const* object = root.if_object()) {
        if (auto const* data = object->if_contains("data");
            data && data->is_array()) {
            list = data;
            pointer = "/data";
        } else if (auto const* value = object->if_contains("value");
                   value && value->is_array()) {
            list = value;
            pointer = "/value";
        }
    }

    std::size_t loaded = 0;
    if (list->is_array()) {
        auto const& items = list->get_array();
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto item_pointer = pointer;
            json::append_pointer_index(item_pointer, i);
            auto result = load_item(items[i], item_pointer);
            if (!result)
                return result.error();
            loaded += *result;
        }
        if (items.empty())
            return empty_list();
    } else if (list->is_object()) {
        auto result = load_item(*list, "");
        if (!result)
            return result.error();
        loaded = *result;
    } else {
        return fail("", "expected a JSON object or array, found " +
                            std::string(kind_of(*list)));
    }

    if (loaded == 0)
        return fail(pointer,
                    "holds no Azure data that byos-audit reads (Speech "
                    "or storage accounts, blob services, role "
                    "assignments or definitions, subscriptions, "
                    "features, locations, or a snapshot)");
    return std::nullopt;
}

Status Reader::empty_list()
{
    if (!declared_) {
        warnings_.push_back(path_ +
                            ": an empty list; its kind cannot be told, so it "
                            "proves nothing (prefix the path with KIND=, e.g. "
                            "roleAssignments=" +
                            path_ + ")");
        return std::nullopt;
    }
    if (*declared_ == Kind::role_assignments)
        estate_.role_assignments_given = true;
    return std::nullopt;
}

bool Reader::is_partial_page(bj::object const& page)
{
    for (auto const* key : {"nextLink", "skip_token", "$skipToken"}) {
        auto const* v = page.if_contains(key);
        if (v && v->is_string() && !v->get_string().empty())
            return true;
    }
    return false;
}

}
