#include "report/report.hpp"

#include <boost/json/serialize.hpp>

namespace byos::report {

namespace bj = boost::json;

std::string render(Format format, Context const& context, TextStyle style)
{
    switch (format) {
    case Format::text: return text_report(context, style);
    case Format::json: return json_report(context);
    case Format::sarif: return sarif_report(context);
    }
    return {};
}

namespace {

void indent(std::string& out, int depth)
{
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

void write_pretty(std::string& out, bj::value const& v, int depth)
{
    if (auto const* object = v.if_object()) {
        if (object->empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        bool first = true;
        for (auto const& [key, value] : *object) {
            if (!first)
                out += ",\n";
            first = false;
            indent(out, depth + 1);
            out += bj::serialize(bj::string(key));
            out += ": ";
            write_pretty(out, value, depth + 1);
        }
        out += '\n';
        indent(out, depth);
        out += '}';
        return;
    }
    if (auto const* array = v.if_array()) {
        if (array->empty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (std::size_t i = 0; i < array->size(); ++i) {
            if (i)
                out += ",\n";
            indent(out, depth + 1);
            write_pretty(out, (*array)[i], depth + 1);
        }
        out += '\n';
        indent(out, depth);
        out += ']';
        return;
    }
    out += bj::serialize(v);
}

}

std::string pretty(bj::value const& value)
{
    std::string out;
    write_pretty(out, value, 0);
    out += '\n';
    return out;
}

std::string where(model::Estate const& estate, model::Source const& source)
{
    if (source.file >= estate.files.size())
        return {};
    auto out = estate.files[source.file];
    if (source.at.line)
        out += ":" + std::to_string(source.at.line) + ":" +
               std::to_string(source.at.column);
    return out;
}

}
