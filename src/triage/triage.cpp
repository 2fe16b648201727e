#include "triage/triage.hpp"

#include "model/arm_id.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
#include "json/document.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

namespace byos::triage {

namespace bj = boost::json;

namespace {

// A stable 64-bit FNV-1a hash in hex: the same text gives the same
// fingerprint on every machine and in every version.
std::string fnv1a(std::string_view text)
{
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char ch : text) {
        hash ^= ch;
        hash *= 1099511628211ull;
    }
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx",
                  static_cast<unsigned long long>(hash));
    return buffer;
}

}

std::string fingerprint(std::string_view rule_id, std::string_view primary,
                        std::string_view related)
{
    return fnv1a(std::string(rule_id) + "|" + model::id_key(primary) + "|" +
                 model::id_key(related));
}

std::string fingerprint(engine::Catalog const& catalog,
                        engine::Finding const& finding)
{
    return fingerprint(catalog.rules()[finding.rule].id, finding.primary.id,
                       finding.related.id);
}

std::string Suppression::declared_at() const
{
    return json::file_line(file, at);
}

bool valid_date(std::string_view date)
{
    if (date.size() != 10 || date[4] != '-' || date[7] != '-')
        return false;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (!std::isdigit(static_cast<unsigned char>(date[i])))
            return false;
    int const year = std::stoi(std::string(date.substr(0, 4)));
    int const month = std::stoi(std::string(date.substr(5, 2)));
    int const day = std::stoi(std::string(date.substr(8, 2)));
    if (month < 1 || month > 12 || day < 1)
        return false;
    static constexpr int days[] = {31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
    bool const leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

char const* to_string(BaselineState state)
{
    switch (state) {
    case BaselineState::none: return "";
    case BaselineState::new_: return "new";
    case BaselineState::unchanged: return "unchanged";
    case BaselineState::updated: return "updated";
    case BaselineState::absent: return "absent";
    }
    return "";
}

std::size_t Triage::count(BaselineState state) const
{
    if (state == BaselineState::absent)
        return absent.size();
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(),
                      [&](auto const& f) { return f.baseline == state; }));
}

std::size_t Triage::suppressed() const
{
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(),
                      [](auto const& f) { return f.suppression != nullptr; }));
}

namespace {

// Shape errors in a baseline name the JSON pointer and, found in one
// more pass over the text, its line.
class BaselineReader
{
public:
    BaselineReader(std::string_view text, std::string const& path)
        : text_(text), path_(path)
    {
    }

    Error error(std::string const& pointer, std::string const& message) const
    {
        std::string where = pointer.empty() ? "/" : pointer;
        auto const at =
            json::line_column(json::locate(text_, {pointer}).front());
        if (!at.empty())
            where = at + " (" + where + ")";
        return Error{path_, where, message};
    }

    Result<Baseline> read(bj::value const& root) const
    {
        auto const* log = root.if_object();
        auto const* runs = log ? log->if_contains("runs") : nullptr;
        if (!runs || !runs->is_array() || runs->as_array().empty())
            return error("", "not a SARIF log: no runs");
        auto const& run = runs->as_array().front();
        auto const* name =
            run.is_object() ? run.as_object().if_contains("tool") : nullptr;
        if (name && name->is_object())
            name = name->as_object().if_contains("driver");
        if (name && name->is_object())
            name = name->as_object().if_contains("name");
        if (!name || !name->is_string() || name->as_string() != "byos-audit")
            return error("/runs/0/tool/driver/name",
                         "not a byos-audit SARIF log: a baseline must come "
                         "from byos-audit");

        Baseline baseline;
        baseline.file = path_;
        auto const* results = run.as_object().if_contains("results");
        if (!results || !results->is_array())
            return error("/runs/0", "the run has no results array");
        auto const& list = results->as_array();
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto const pointer = "/runs/0/results/" + std::to_string(i);
            auto item = read_result(list[i], pointer);
            if (!item)
                return item.error();
            if (!item->fingerprint.empty())
                baseline.results.push_back(std::move(*item));
        }
        read_not_evaluated(run.as_object(), baseline);
        return baseline;
    }

private:
    static std::string string_at(bj::object const& o, std::string_view key)
    {
        auto const* v = o.if_contains(key);
        return v && v->is_string() ? std::string(v->as_string()) : "";
    }

    // An empty fingerprint means the result is no open finding.
    Result<BaselineResult> read_result(bj::value const& value,
                                       std::string const& pointer) const
    {
        BaselineResult out;
        auto const* o = value.if_object();
        if (!o)
            return error(pointer, "a result must be an object");
        auto const kind = string_at(*o, "kind");
        if ((!kind.empty() && kind != "fail") ||
            string_at(*o, "baselineState") == "absent")
            return out;
        out.rule_id = string_at(*o, "ruleId");
        if (out.rule_id.empty())
            return error(pointer, "a result without a ruleId");
        auto const* prints = o->if_contains("partialFingerprints");
        auto const* print =
            prints && prints->is_object()
                ? prints->as_object().if_contains(fingerprint_key)
                : nullptr;
        if (!print || !print->is_string())
            return error(pointer, std::string("a result without the ") +
                                      fingerprint_key +
                                      " fingerprint byos-audit writes");
        out.fingerprint = std::string(print->as_string());
        out.level = string_at(*o, "level");
        if (out.level.empty())
            out.level = "warning";
        if (auto const* m = o->if_contains("message"); m && m->is_object())
            out.message = string_at(m->as_object(), "text");
        out.resource = logical_location(*o);
        if (auto const* s = o->if_contains("suppressions");
            s && s->is_array() && !s->as_array().empty())
            out.suppressed = true;
        out.original = *o;
        return out;
    }

    static std::string logical_location(bj::object const& result)
    {
        auto const* locations = result.if_contains("locations");
        if (!locations || !locations->is_array() ||
            locations->as_array().empty() ||
            !locations->as_array().front().is_object())
            return "";
        auto const* logical =
            locations->as_array().front().as_object().if_contains(
                "logicalLocations");
        if (!logical || !logical->is_array() || logical->as_array().empty() ||
            !logical->as_array().front().is_object())
            return "";
        return string_at(logical->as_array().front().as_object(),
                         "fullyQualifiedName");
    }

    static void read_not_evaluated(bj::object const& run, Baseline& baseline)
    {
        auto const* invocations = run.if_contains("invocations");
        if (!invocations || !invocations->is_array())
            return;
        for (auto const& inv : invocations->as_array()) {
            if (!inv.is_object())
                continue;
            auto const* notes =
                inv.as_object().if_contains("toolExecutionNotifications");
            if (auto const* ok =
                    inv.as_object().if_contains("executionSuccessful");
                ok && ok->is_bool() && !ok->as_bool())
                baseline.complete = false;
            if (!notes || !notes->is_array())
                continue;
            for (auto const& n : notes->as_array()) {
                auto const* props =
                    n.is_object() ? n.as_object().if_contains("properties")
                                  : nullptr;
                if (props && props->is_object()) {
                    auto print = string_at(props->as_object(), fingerprint_key);
                    if (!print.empty())
                        baseline.not_evaluated.push_back(std::move(print));
                }
            }
        }
    }

    std::string_view text_;
    std::string const& path_;
};

}

Result<Baseline> parse_baseline(std::string_view text, std::string const& path)
{
    auto root = json::parse(text, path);
    if (!root)
        return root.error();
    return BaselineReader(text, path).read(*root);
}

Result<Baseline> read_baseline(std::string const& path)
{
    auto text = read_text_file(path);
    if (!text)
        return text.error();
    return parse_baseline(*text, path);
}

namespace {

void apply_suppressions(engine::AuditResult const& result,
                        engine::Catalog const& catalog,
                        std::vector<Suppression> const& suppressions,
                        std::string const& today, Triage& out)
{
    for (auto const& s : suppressions) {
        bool const expired = s.expires < today;
        std::size_t matched = 0;
        for (std::size_t i = 0; i < result.findings.size(); ++i) {
            auto const& f = result.findings[i];
            if (f.status != engine::Status::failed ||
                !iequals(catalog.rules()[f.rule].id, s.rule) ||
                !id_glob_match(s.resource, f.primary.id))
                continue;
            ++matched;
            if (!expired && !out.findings[i].suppression)
                out.findings[i].suppression = &s;
        }

        auto const what = "the suppression of " + s.rule + " for " +
                          s.resource + " (" + s.declared_at() + ")";
        if (expired)
            out.notices.push_back(
                {"warning",
                 what + " expired on " + s.expires +
                     (matched == 1 ? "; the finding it covered counts again"
                      : matched    ? "; the " + std::to_string(matched) +
                                      " findings it covered count again"
                                : "; it matches no finding either, remove "
                                  "it"),
                 s.file, s.at});
        else if (matched == 0)
            out.notices.push_back(
                {"warning",
                 what + " matches no finding; remove it if the exception "
                        "is no longer needed",
                 s.file, s.at});
    }
}

void compare_with(engine::AuditResult const& result,
                  engine::Catalog const& catalog, Baseline const& baseline,
                  Triage& out)
{
    std::unordered_map<std::string, BaselineResult const*> before;
    for (auto const& r : baseline.results)
        before.emplace(r.fingerprint, &r);

    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < result.findings.size(); ++i) {
        auto const& f = result.findings[i];
        auto print = fingerprint(catalog, f);
        if (f.status != engine::Status::failed) {
            // Not evaluated now: whether it was fixed is unknown.
            seen.insert(std::move(print));
            continue;
        }
        auto const it = before.find(print);
        if (it == before.end()) {
            out.findings[i].baseline = BaselineState::new_;
        } else {
            bool const same = it->second->level == engine::to_string(f.level) &&
                              it->second->message == f.message;
            out.findings[i].baseline =
                same ? BaselineState::unchanged : BaselineState::updated;
        }
        seen.insert(std::move(print));
    }
    // A finding is fixed only when this audit looked: with something
    // unread, a resource the audit did not reach proves nothing.
    std::unordered_set<std::string> reached;
    for (auto const& s : result.subjects) {
        reached.insert(model::id_key(s.speech_id));
        reached.insert(model::id_key(s.storage_id));
        reached.insert(model::id_key("/subscriptions/" +
                                     model::subscription_of(s.speech_id)));
    }
    for (auto const& r : baseline.results) {
        if (seen.count(r.fingerprint))
            continue;
        if (!result.complete() && !reached.count(model::id_key(r.resource)))
            out.unverified.push_back(r);
        else
            out.absent.push_back(r);
    }
}

}

Diff diff(Baseline const& before, Baseline const& after)
{
    std::unordered_set<std::string> was, is, unknown;
    for (auto const& r : before.results)
        was.insert(r.fingerprint);
    for (auto const& r : after.results)
        is.insert(r.fingerprint);
    unknown.insert(after.not_evaluated.begin(), after.not_evaluated.end());

    Diff out;
    for (auto const& r : after.results)
        (was.count(r.fingerprint) ? out.open : out.added).push_back(r);
    for (auto const& r : before.results) {
        if (is.count(r.fingerprint))
            continue;
        bool const known = after.complete && !unknown.count(r.fingerprint);
        (known ? out.fixed : out.unverified).push_back(r);
    }
    return out;
}

Triage triage(engine::AuditResult const& result, engine::Catalog const& catalog,
              std::vector<Suppression> const& suppressions,
              std::string const& today, Baseline const* baseline)
{
    Triage out;
    out.findings.resize(result.findings.size());
    apply_suppressions(result, catalog, suppressions, today, out);
    if (baseline) {
        out.baseline_file = baseline->file;
        compare_with(result, catalog, *baseline, out);
    }
    return out;
}

}
