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
    case Format::markdown: return markdown_report(context);
    case Format::junit: return junit_report(context);
    case Format::html: return html_report(context);
    }
    return {};
}

Tally tally(Context const& c)
{
    Tally out;
    for (std::size_t i = 0; i < c.result.findings.size(); ++i) {
        auto const& f = c.result.findings[i];
        if (f.status != engine::Status::failed)
            ++out.not_evaluated;
        else if (c.triage_of(i).suppression)
            ++out.suppressed;
        else
            ++out.by_level[static_cast<std::size_t>(f.level)];
    }
    return out;
}

std::string change_counts(std::size_t added, std::size_t fixed,
                          std::size_t open, char const* open_word,
                          std::size_t unverified)
{
    auto out = std::to_string(added) + " new, " + std::to_string(fixed) +
               " fixed, " + std::to_string(open) + " " + open_word;
    if (unverified)
        out += ", " + std::to_string(unverified) + " not verified";
    return out;
}

std::string change_counts(triage::Triage const& t)
{
    using triage::BaselineState;
    return change_counts(
        t.count(BaselineState::new_), t.count(BaselineState::absent),
        t.count(BaselineState::unchanged) + t.count(BaselineState::updated),
        "unchanged", t.unverified.size());
}

char const* file_name(Format format)
{
    switch (format) {
    case Format::text: return "byos-audit.txt";
    case Format::json: return "byos-audit.json";
    case Format::sarif: return "byos-audit.sarif";
    case Format::markdown: return "byos-audit.md";
    case Format::junit: return "byos-audit.junit.xml";
    case Format::html: return "byos-audit.html";
    }
    return "byos-audit.txt";
}

// A JSON string literal, escaped as RFC 8259 requires. Runs of plain
// characters are copied whole.
void append_json_string(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    auto const plain = [](char c) {
        return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
    };
    out += '"';
    std::size_t i = 0;
    while (i < text.size()) {
        auto run = i;
        while (run < text.size() && plain(text[run]))
            ++run;
        out.append(text.data() + i, run - i);
        if (run == text.size())
            break;
        switch (char const c = text[run]) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += hex[static_cast<unsigned char>(c) >> 4];
            out += hex[static_cast<unsigned char>(c) & 0xF];
        }
        i = run + 1;
    }
    out += '"';
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
            append_json_string(out, key);
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
    switch (v.kind()) {
    case bj::kind::string: append_json_string(out, v.get_string()); break;
    case bj::kind::int64: out += std::to_string(v.get_int64()); break;
    case bj::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case bj::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case bj::kind::null: out += "null"; break;
    default: out += bj::serialize(v);
    }
}

}

std::string pretty(bj::value const& value)
{
    std::string out;
    write_pretty(out, value, 0);
    out += '\n';
    return out;
}

void append_pretty(std::string& out, bj::value const& value, int depth)
{
    write_pretty(out, value, depth);
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
