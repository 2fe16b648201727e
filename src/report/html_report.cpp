// The HTML report: one self-contained page for the people who read an
// audit. Every row is rendered here, so the page reads fully with scripts
// blocked; the inline script only filters and sorts what is already there.
// Nothing from the estate reaches the script or the style: it is written as
// escaped text and attribute values only, and the Content-Security-Policy
// allows no script or style but the two inline blocks, named by hash.

#include "report/report.hpp"

#include "model/arm_id.hpp"
#include "util/digest.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_map>

namespace byos::report {

namespace bj = boost::json;

namespace {

using engine::Finding;
using engine::Level;
using engine::Status;

constexpr char const* style = R"css(
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de;
  --panel: #f6f8fa; --error: #b3261e; --warning: #8a5a00; --note: #0b5cad;
  --passed: #1a7f37; --not-applicable: #6e7781; --not-evaluated: #8250df;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #30363d;
    --panel: #161b22; --error: #ff7b72; --warning: #e3b341; --note: #79c0ff;
    --passed: #56d364; --not-applicable: #8b949e; --not-evaluated: #d2a8ff;
  }
}
*, *::before, *::after { box-sizing: border-box; }
body {
  margin: 0 auto; max-width: 1280px; padding: 1.5rem;
  background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
h1 { font-size: 1.6rem; margin: 0 0 .75rem; }
h2 {
  font-size: 1.2rem; margin: 2rem 0 .5rem; padding-bottom: .25rem;
  border-bottom: 1px solid var(--line);
}
h3 { font-size: 1rem; margin: 0 0 .5rem; }
a { color: var(--note); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td {
  border: 1px solid var(--line); padding: .3rem .5rem;
  text-align: left; vertical-align: top;
}
thead th { background: var(--panel); }
td.number, th.number { text-align: right; }
th button {
  font: inherit; font-weight: 600; color: inherit; background: none;
  border: 0; padding: 0; cursor: pointer; text-align: left;
}
th[aria-sort="ascending"] button::after { content: " \25B2"; }
th[aria-sort="descending"] button::after { content: " \25BC"; }
dl.meta {
  display: grid; grid-template-columns: max-content 1fr;
  gap: .15rem 1rem; margin: 0;
}
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.banner {
  border: 2px solid var(--not-evaluated); border-radius: 6px;
  padding: .5rem .75rem; margin: 1rem 0;
}
.banner.complete { border-color: var(--passed); }
.badge {
  display: inline-block; font-weight: 600; white-space: nowrap;
  padding: 0 .4rem; border: 1px solid currentColor; border-radius: 4px;
}
.error, .failed { color: var(--error); }
.warning { color: var(--warning); }
.note { color: var(--note); }
.passed { color: var(--passed); }
.not-applicable { color: var(--not-applicable); }
.not-evaluated { color: var(--not-evaluated); }
.suppressed { color: var(--muted); }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.resource {
  background: var(--panel); border: 1px solid var(--line);
  border-radius: 6px; padding: .75rem;
}
.id { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.tag {
  display: inline-block; font-size: 12px; margin: 0 .25rem .25rem 0;
  padding: 0 .3rem; border: 1px solid var(--line); border-radius: 4px;
  overflow-wrap: anywhere;
}
code, pre {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 12.5px;
}
pre {
  white-space: pre-wrap; overflow-wrap: anywhere; margin: .25rem 0;
  padding: .4rem; background: var(--panel); border-radius: 4px;
}
ul.evidence { margin: .25rem 0 0; padding-left: 1.1rem; }
table.outcomes { table-layout: fixed; }
table.outcomes th:nth-child(1) { width: 7.5rem; }
table.outcomes th:nth-child(2) { width: 5.5rem; }
table.outcomes th:nth-child(3) { width: 5.5rem; }
table.outcomes th:nth-child(4) { width: 22%; }
table.outcomes th:nth-child(5) { width: 26%; }
table.outcomes td, table.outcomes code { overflow-wrap: anywhere; }
.filters {
  position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap;
  gap: .5rem 1rem; align-items: end; padding: .5rem 0;
  background: var(--bg); border-bottom: 1px solid var(--line);
}
.filters label {
  display: flex; flex-direction: column; font-size: 12px; color: var(--muted);
}
.filters input, .filters select { font: inherit; }
button.copy { font-size: 12px; }
@media (max-width: 800px) { .sides { grid-template-columns: 1fr; } }
@media print {
  :root {
    --bg: #ffffff; --fg: #000000; --muted: #444444; --line: #999999;
    --panel: #ffffff; --error: #9b1c1c; --warning: #7a4f00; --note: #0b4a8c;
    --passed: #14692d; --not-applicable: #555555; --not-evaluated: #6b3fb8;
  }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .filters, button.copy { display: none; }
  tr, .resource { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; }
}
)css";

constexpr char const* script = R"js(
"use strict";
(() => {
  const bar = document.getElementById("filters");
  const control = (name) => document.getElementById("filter-" + name);
  const pairs = Array.from(document.querySelectorAll("section.pair"));
  const total = document.querySelectorAll("tr.outcome").length;
  const shown = document.getElementById("shown");
  const text = new Map(pairs.map((pair) =>
    [pair, pair.querySelector(".sides").textContent.toLowerCase()]));
  const has = (list, value) => list.split("/").includes(value);

  function apply() {
    const query = control("search").value.trim().toLowerCase();
    const level = control("level").value, rule = control("rule").value;
    const status = control("status").value;
    const subscription = control("subscription").value;
    const group = control("group").value;
    let visible = 0;
    for (const pair of pairs) {
      const inScope =
        (!subscription || has(pair.dataset.subscriptions, subscription)) &&
        (!group || has(pair.dataset.groups, group));
      const pairMatches = !query || text.get(pair).includes(query);
      let any = false;
      for (const row of pair.querySelectorAll("tr.outcome")) {
        const show = inScope &&
          (!level || row.dataset.level === level) &&
          (!rule || row.dataset.rule === rule) &&
          (!status || row.dataset.status === status) &&
          (pairMatches || row.textContent.toLowerCase().includes(query));
        row.hidden = !show;
        if (show) { any = true; visible++; }
      }
      pair.hidden = !any;
    }
    shown.textContent = visible + " of " + total + " rows shown";
  }

  function sortable(table) {
    const heads = Array.from(table.tHead.rows[0].cells);
    heads.forEach((head, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = head.textContent;
      head.textContent = "";
      head.appendChild(button);
      button.addEventListener("click", () => {
        const ascending = head.getAttribute("aria-sort") !== "ascending";
        for (const other of heads) other.removeAttribute("aria-sort");
        head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const key = (row) => {
          const cell = row.cells[column];
          return cell.dataset.sort ?? cell.textContent.trim().toLowerCase();
        };
        const body = table.tBodies[0];
        const rows = Array.from(body.rows).sort((a, b) => {
          const x = key(a), y = key(b);
          const order = x.localeCompare(y, undefined, { numeric: true });
          return ascending ? order : -order;
        });
        for (const row of rows) body.appendChild(row);
      });
    });
  }

  function copyable(pre) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(pre.textContent);
        button.textContent = "Copied";
      } catch {
        const range = document.createRange();
        range.selectNodeContents(pre);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        button.textContent = "Selected: press Ctrl+C";
      }
    });
    pre.after(button);
  }

  bar.hidden = false;
  for (const input of bar.querySelectorAll("input, select"))
    input.addEventListener("input", apply);
  document.querySelectorAll("table.sortable").forEach(sortable);
  document.querySelectorAll("pre.az").forEach(copyable);
  addEventListener("beforeprint", () => {
    for (const details of document.querySelectorAll("details"))
      details.open = true;
  });
  apply();
})();
)js";

// Text made inert in HTML content and in double-quoted attribute values.
// Control characters, which HTML does not allow, become spaces.
void escape(std::string& out, std::string_view text)
{
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\n':
        case '\t': out += c; break;
        default:
            out += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c;
        }
    }
}

// Only http(s) links are written: a rule file from --rules could name a
// `javascript:` URI.
bool linkable(std::string_view uri)
{
    return uri.rfind("https://", 0) == 0 || uri.rfind("http://", 0) == 0;
}

char const* css_class(Status status)
{
    switch (status) {
    case Status::failed: return "failed";
    case Status::passed: return "passed";
    case Status::not_evaluated: return "not-evaluated";
    case Status::not_applicable: return "not-applicable";
    }
    return "";
}

char const* label(Status status)
{
    switch (status) {
    case Status::failed: return "failed";
    case Status::passed: return "passed";
    case Status::not_evaluated: return "not evaluated";
    case Status::not_applicable: return "not applicable";
    }
    return "";
}

// The order rows are listed in: what needs attention first.
int rank(Status status)
{
    switch (status) {
    case Status::failed: return 0;
    case Status::not_evaluated: return 1;
    case Status::passed: return 2;
    case Status::not_applicable: return 3;
    }
    return 4;
}

std::string display(bj::value const& value)
{
    if (auto const* s = value.if_string())
        return std::string(*s);
    return bj::serialize(value);
}

bj::value const* find(bj::object const* object, std::string_view key)
{
    if (!object)
        return nullptr;
    auto const it = object->find(key);
    return it == object->end() ? nullptr : &it->value();
}

bj::object const* find_object(bj::object const* object, std::string_view key)
{
    auto const* v = find(object, key);
    return v ? v->if_object() : nullptr;
}

class Page
{
public:
    explicit Page(Context const& c) : c_(c)
    {
        for (std::size_t i = 0; i < c.result.findings.size(); ++i) {
            auto const& f = c.result.findings[i];
            findings_[key(f.rule, f.primary.id)].push_back(i);
        }
        by_subject_.resize(c.result.subjects.size());
        for (std::size_t i = 0; i < c.result.outcomes.size(); ++i)
            by_subject_[c.result.outcomes[i].subject].push_back(i);
        for (auto const& s : c.result.subjects) {
            for (auto const* id : {&s.speech_id, &s.storage_id}) {
                if (id->empty())
                    continue;
                auto const sub = model::subscription_of(*id);
                if (!sub.empty())
                    subscriptions_.insert(sub);
                auto const group = model::resource_group_of(*id);
                if (!group.empty())
                    groups_.insert(to_lower(group));
            }
        }
    }

    std::string render()
    {
        body_ += "<body>\n";
        header();
        changes();
        not_audited();
        configuration();
        summary();
        filters();
        pairs();
        // Last in the body, so the rows exist when it runs: an inline
        // script cannot be deferred.
        body_ += "<script>";
        body_ += script;
        body_ += "</script>\n</body>\n</html>\n";

        std::string out =
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
            "<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, "
            "initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\""
            "default-src 'none'; style-src 'sha256-" +
            sha256_base64(style) + "'; script-src 'sha256-" +
            sha256_base64(script) +
            "'; img-src 'none'; base-uri 'none'; form-action 'none'\">\n"
            "<meta name=\"color-scheme\" content=\"light dark\">\n"
            "<meta name=\"generator\" content=\"byos-audit " BYOS_AUDIT_VERSION
            "\">\n"
            "<title>byos-audit: BYOS Speech audit</title>\n<style>";
        out += style;
        out += "</style>\n</head>\n";
        out += body_;
        return out;
    }

private:
    static std::string key(std::uint16_t rule, std::string_view id)
    {
        return std::to_string(rule) + '\n' + model::id_key(id);
    }

    std::string subscription_label(std::string const& sub) const
    {
        auto const n = c_.estate.subscription_names.find(sub);
        if (n == c_.estate.subscription_names.end() || n->second.empty())
            return sub;
        return n->second + " (" + sub + ")";
    }

    void header()
    {
        auto& out = body_;
        out += "<header>\n<h1>BYOS Speech audit</h1>\n<dl class=\"meta\">\n";
        auto const row = [&](char const* term, std::string const& value) {
            out += "<dt>";
            out += term;
            out += "</dt><dd>";
            escape(out, value);
            out += "</dd>\n";
        };
        row("Audited", c_.finished.empty() ? "time not recorded" : c_.finished);
        std::string inputs;
        for (auto const& file : c_.estate.files)
            inputs += (inputs.empty() ? "" : ", ") + file;
        row("Input", inputs.empty() ? "none" : inputs);
        std::string subs;
        for (auto const& sub : subscriptions_)
            subs += (subs.empty() ? "" : ", ") + subscription_label(sub);
        row("Subscriptions", subs.empty() ? "none" : subs);
        row("Scenario",
            std::string(engine::to_string(c_.options.scenario)) +
                " (a byos-audit-scenario tag on a Speech account overrides "
                "it for that account)");
        row("Speech Studio checks", c_.options.speech_studio ? "on" : "off");
        row("Tool", "byos-audit " BYOS_AUDIT_VERSION);
        std::size_t builtin = 0;
        for (auto const& rule : c_.catalog.rules())
            builtin += rule.file.rfind("rules/", 0) == 0;
        row("Rule catalog",
            std::to_string(c_.catalog.rules().size()) +
                " rules: " + std::to_string(builtin) +
                " built into byos-audit " + BYOS_AUDIT_VERSION + ", " +
                std::to_string(c_.catalog.rules().size() - builtin) +
                " from --rules");
        auto const speech = c_.result.subjects.size();
        auto const pairs = static_cast<std::size_t>(
            std::count_if(c_.result.subjects.begin(), c_.result.subjects.end(),
                          [](auto const& s) { return !s.storage_id.empty(); }));
        row("Resources", std::to_string(speech) + " Speech account pairings, " +
                             std::to_string(pairs) +
                             " with user-owned storage");
        out += "</dl>\n";
        if (c_.result.complete())
            out += "<p class=\"banner complete\" id=\"completeness\">"
                   "<strong>Complete</strong>: every rule was evaluated on "
                   "everything the input held.</p>\n";
        else
            out += "<p class=\"banner\" id=\"completeness\"><strong>The "
                   "audit is incomplete</strong>: what could not be read or "
                   "evaluated is listed under <a href=\"#not-audited\">Not "
                   "audited</a>, and none of it counts as compliant.</p>\n";
        out += "</header>\n";
    }

    // Against a baseline: new, fixed and unchanged first, then what was
    // fixed, which has no row of its own below.
    void changes()
    {
        if (!c_.triage || !c_.triage->has_baseline())
            return;
        using triage::BaselineState;
        auto const& t = *c_.triage;
        auto& out = body_;
        out += "<section id=\"changes\">\n<h2>Since the baseline</h2>\n"
               "<p>Compared with <code>";
        escape(out, t.baseline_file);
        out += "</code>.</p>\n<table id=\"baseline-counts\">\n<thead><tr>"
               "<th scope=\"col\" class=\"number\">new</th>"
               "<th scope=\"col\" class=\"number\">fixed</th>"
               "<th scope=\"col\" class=\"number\">unchanged</th>"
               "<th scope=\"col\" class=\"number\">updated</th>"
               "<th scope=\"col\" class=\"number\">not verified</th>"
               "</tr></thead>\n<tbody><tr>";
        for (auto const n :
             {t.count(BaselineState::new_), t.count(BaselineState::absent),
              t.count(BaselineState::unchanged),
              t.count(BaselineState::updated), t.unverified.size()})
            out += "<td class=\"number\">" + std::to_string(n) + "</td>";
        out += "</tr></tbody>\n</table>\n";
        auto const list = [&](char const* title,
                              std::vector<triage::BaselineResult> const& rs) {
            if (rs.empty())
                return;
            out += "<h3>";
            out += title;
            out += "</h3>\n<ul>\n";
            for (auto const& r : rs) {
                out += "<li><strong>";
                escape(out, r.rule_id);
                out += "</strong> <code>";
                escape(out, r.resource);
                out += "</code>: ";
                escape(out, r.message);
                out += "</li>\n";
            }
            out += "</ul>\n";
        };
        list("Fixed since the baseline", t.absent);
        list("Not verified: this audit could not read them", t.unverified);
        out += "</section>\n";
    }

    // Rules the configuration changed, and suppressions that ran out or
    // match nothing.
    void configuration()
    {
        if (!c_.triage || c_.triage->notices.empty())
            return;
        auto& out = body_;
        out += "<section id=\"configuration\">\n<h2>Configuration</h2>\n"
               "<ul>\n";
        for (auto const& n : c_.triage->notices) {
            out += "<li><span class=\"badge ";
            out += n.level == "warning" ? "warning" : "note";
            out += "\">";
            escape(out, n.level);
            out += "</span> ";
            escape(out, n.message);
            out += "</li>\n";
        }
        out += "</ul>\n</section>\n";
    }

    void not_audited()
    {
        auto const& r = c_.result;
        std::string items;
        for (auto const& gap : r.gaps) {
            items += "<li>";
            escape(items, gap.describe());
            items += "</li>\n";
        }
        if (r.nothing_to_audit)
            items += "<li>The input holds no SpeechServices account.</li>\n";
        // One item per resource and reason, naming the rules it kept from
        // being evaluated: a missing storage account stops most of them.
        std::vector<std::pair<std::string, std::string>> order;
        std::map<std::pair<std::string, std::string>, std::string> rules;
        for (auto const& f : r.findings) {
            if (f.status != Status::not_evaluated)
                continue;
            auto const key = std::pair{f.primary.id, f.reason};
            auto& ids = rules[key];
            if (ids.empty())
                order.push_back(key);
            ids += (ids.empty() ? "" : ", ") + c_.catalog.rules()[f.rule].id;
        }
        for (auto const& key : order) {
            items += "<li class=\"not-evaluated-item\"><code>";
            escape(items, key.first);
            items += "</code>: ";
            escape(items, key.second);
            items += ". <strong>Not evaluated:</strong> ";
            escape(items, rules[key]);
            items += "</li>\n";
        }
        for (auto const& warning : r.warnings) {
            items += "<li>";
            escape(items, warning);
            items += "</li>\n";
        }
        if (items.empty())
            return;
        body_ += "<section id=\"not-audited\">\n<h2>Not audited</h2>\n<ul>\n" +
                 items + "</ul>\n</section>\n";
    }

    void summary()
    {
        auto const& r = c_.result;
        auto const [by_level, suppressed, not_evaluated] = tally(c_);
        std::vector<std::array<std::size_t, 4>> by_rule(
            c_.catalog.rules().size());
        for (auto const& f : r.findings)
            ++by_rule[f.rule][f.status == Status::failed ? 0 : 1];
        for (auto const& o : r.outcomes)
            if (o.status == Status::passed ||
                o.status == Status::not_applicable)
                ++by_rule[o.rule][o.status == Status::passed ? 2 : 3];

        auto& out = body_;
        out += "<section id=\"summary\">\n<h2>Summary</h2>\n"
               "<table id=\"counts\">\n<caption>Findings by level (a finding "
               "on a storage account shared by two Speech accounts counts "
               "once)</caption>\n<thead><tr>"
               "<th scope=\"col\" class=\"number\">errors</th>"
               "<th scope=\"col\" class=\"number\">warnings</th>"
               "<th scope=\"col\" class=\"number\">notes</th>"
               "<th scope=\"col\" class=\"number\">not evaluated</th>"
               "<th scope=\"col\" class=\"number\">suppressed</th>"
               "<th scope=\"col\" class=\"number\">checks passed</th>"
               "<th scope=\"col\" class=\"number\">not applicable</th>"
               "</tr></thead>\n<tbody><tr>";
        auto const count = [&](char const* name, std::size_t n) {
            out += "<td class=\"number\" data-count=\"";
            out += name;
            out += "\">" + std::to_string(n) + "</td>";
        };
        count("error", by_level[2]);
        count("warning", by_level[1]);
        count("note", by_level[0]);
        count("not-evaluated", not_evaluated);
        count("suppressed", suppressed);
        count("passed", r.count(Status::passed));
        count("not-applicable", r.count(Status::not_applicable));
        out += "</tr></tbody>\n</table>\n";

        out += "<table id=\"rules\" class=\"sortable\">\n<caption>Outcomes by "
               "rule</caption>\n<thead><tr><th scope=\"col\">rule</th>"
               "<th scope=\"col\">level</th><th scope=\"col\">title</th>"
               "<th scope=\"col\" class=\"number\">failed</th>"
               "<th scope=\"col\" class=\"number\">not evaluated</th>"
               "<th scope=\"col\" class=\"number\">passed</th>"
               "<th scope=\"col\" class=\"number\">not applicable</th>"
               "</tr></thead>\n<tbody>\n";
        auto const& rules = c_.catalog.rules();
        for (std::size_t i = 0; i < rules.size(); ++i) {
            auto const& rule = rules[i];
            out += "<tr data-rule=\"";
            escape(out, rule.id);
            out += "\"><th scope=\"row\">";
            escape(out, rule.id);
            out += "</th><td data-sort=\"" +
                   std::to_string(2 - static_cast<int>(rule.level)) + "\">";
            level_badge(rule.level);
            out += "</td><td>";
            escape(out, rule.title);
            out += "</td>";
            for (std::size_t k = 0; k < 4; ++k)
                out += "<td class=\"number\">" + std::to_string(by_rule[i][k]) +
                       "</td>";
            out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n</section>\n";
    }

    void level_badge(Level level)
    {
        body_ += "<span class=\"badge ";
        body_ += engine::to_string(level);
        body_ += "\">";
        body_ += engine::to_string(level);
        body_ += "</span>";
    }

    // The controls are hidden until the script shows them: without it they
    // would do nothing.
    void filters()
    {
        auto& out = body_;
        out += "<form class=\"filters\" id=\"filters\" hidden>\n"
               "<label>Search<input type=\"search\" id=\"filter-search\" "
               "placeholder=\"name, rule, message\"></label>\n";
        auto const select =
            [&](char const* id, char const* name,
                std::vector<std::pair<std::string, std::string>> const&
                    options) {
                out += "<label>";
                out += name;
                out += "<select id=\"filter-";
                out += id;
                out += "\"><option value=\"\">all</option>";
                for (auto const& [value, text] : options) {
                    out += "<option value=\"";
                    escape(out, value);
                    out += "\">";
                    escape(out, text);
                    out += "</option>";
                }
                out += "</select></label>\n";
            };
        select("level", "Level",
               {{"error", "error"}, {"warning", "warning"}, {"note", "note"}});
        std::vector<std::pair<std::string, std::string>> rules;
        for (auto const& rule : c_.catalog.rules())
            rules.emplace_back(rule.id, rule.id + " " + rule.name);
        select("rule", "Rule", rules);
        std::vector<std::pair<std::string, std::string>> subs;
        for (auto const& sub : subscriptions_)
            subs.emplace_back(sub, subscription_label(sub));
        select("subscription", "Subscription", subs);
        std::vector<std::pair<std::string, std::string>> groups;
        for (auto const& group : groups_)
            groups.emplace_back(group, group);
        select("group", "Resource group", groups);
        select("status", "Status",
               {{"failed", "failed"},
                {"suppressed", "suppressed"},
                {"not-evaluated", "not evaluated"},
                {"passed", "passed"},
                {"not-applicable", "not applicable"}});
        out += "<output id=\"shown\"></output>\n</form>\n";
    }

    // The page holds every row of every pair with its evidence, about
    // 19 KB a pair, so past a few thousand pairs it is too large for a
    // browser to open comfortably; SARIF and JSON serve such estates.
    void pairs()
    {
        body_ += "<main>\n";
        for (std::size_t i = 0; i < c_.result.subjects.size(); ++i)
            pair(i);
        body_ += "</main>\n";
    }

    void pair(std::size_t index)
    {
        auto const& s = c_.result.subjects[index];
        auto& out = body_;
        std::string subs, groups;
        // Each once: the filters test membership of a '/'-separated list.
        auto const add = [](std::string& list, std::string const& item) {
            if (item.empty() || list == item || list.rfind(item + "/", 0) == 0)
                return;
            list += (list.empty() ? "" : "/") + item;
        };
        for (auto const* id : {&s.speech_id, &s.storage_id}) {
            add(subs, model::subscription_of(*id));
            add(groups, to_lower(model::resource_group_of(*id)));
        }
        out += "<section class=\"pair\" id=\"pair-" +
               std::to_string(index + 1) + "\" data-subscriptions=\"";
        escape(out, subs);
        out += "\" data-groups=\"";
        escape(out, groups);
        out += "\">\n<h2>";
        escape(out, model::last_segment(s.speech_id));
        if (!s.storage_id.empty()) {
            out += " &rarr; ";
            escape(out, model::last_segment(s.storage_id));
        } else {
            out += " (no user-owned storage)";
        }
        out += "</h2>\n<div class=\"sides\">\n";
        speech_side(s);
        storage_side(s);
        out += "</div>\n";
        outcomes(s, by_subject_[index]);
        out += "</section>\n";
    }

    void facts_start(char const* title, std::string const& id)
    {
        body_ += "<div class=\"resource\">\n<h3>";
        body_ += title;
        body_ += "</h3>\n<p class=\"id\">";
        escape(body_, id);
        body_ += "</p>\n<dl class=\"meta\">\n";
    }

    void fact(char const* term, std::string_view value)
    {
        body_ += "<dt>";
        body_ += term;
        body_ += "</dt><dd>";
        escape(body_, value);
        body_ += "</dd>\n";
    }

    void tags(bj::object const* resource)
    {
        auto const* tags = find_object(resource, "tags");
        if (!tags || tags->empty())
            return;
        body_ += "<dt>Tags</dt><dd>";
        for (auto const& [name, value] : *tags) {
            body_ += "<span class=\"tag\">";
            escape(body_, name);
            body_ += "=";
            escape(body_, display(value));
            body_ += "</span>";
        }
        body_ += "</dd>\n";
    }

    void common_facts(std::string const& id, model::Resource const* resource)
    {
        fact("Name", model::last_segment(id));
        fact("Resource group", model::resource_group_of(id));
        fact("Subscription", subscription_label(model::subscription_of(id)));
        if (resource)
            fact("Region", resource->location());
    }

    void speech_side(engine::SubjectSummary const& s)
    {
        auto const it =
            c_.estate.speech_by_key.find(model::id_key(s.speech_id));
        model::Resource const* speech =
            it == c_.estate.speech_by_key.end() ? nullptr : it->second;
        facts_start("Speech account", s.speech_id);
        common_facts(s.speech_id, speech);
        if (speech) {
            auto const* identity = find_object(speech->json, "identity");
            auto const* type = find(identity, "type");
            fact("Identity", type ? display(*type) : "none");
            tags(speech->json);
        }
        fact("Scenario", engine::to_string(s.scenario));
        body_ += "</dl>\n</div>\n";
    }

    void storage_side(engine::SubjectSummary const& s)
    {
        if (s.storage_id.empty()) {
            body_ += "<div class=\"resource\">\n<h3>Storage account</h3>\n"
                     "<p>This Speech account keeps no artifacts in storage "
                     "of its own (no userOwnedStorage).</p>\n</div>\n";
            return;
        }
        auto const key = model::id_key(s.storage_id);
        auto const it = c_.estate.storage_by_key.find(key);
        model::Resource const* storage =
            it == c_.estate.storage_by_key.end() ? nullptr : it->second;
        facts_start("Storage account", s.storage_id);
        common_facts(s.storage_id, storage);
        if (!storage) {
            body_ += "</dl>\n<p class=\"not-evaluated\">The storage account "
                     "was not read: see the rules below.</p>\n</div>\n";
            return;
        }
        auto const* properties = find_object(storage->json, "properties");
        for (auto const& [term, name] :
             {std::pair{"Public blob access", "allowBlobPublicAccess"},
              std::pair{"Shared Key access", "allowSharedKeyAccess"},
              std::pair{"Public network access", "publicNetworkAccess"}}) {
            auto const* value = find(properties, name);
            fact(term, value ? display(*value) : "not set");
        }
        auto const* acls = find_object(properties, "networkAcls");
        auto const* action = find(acls, "defaultAction");
        fact("Firewall default action", action ? display(*action) : "not set");
        tags(storage->json);
        model::Gap const* why = nullptr;
        if (auto const* blob = c_.estate.blob_service_of(key, &why)) {
            auto const* cors =
                find_object(find_object(blob->json, "properties"), "cors");
            auto const* rules = find(cors, "corsRules");
            std::string origins;
            if (rules && rules->is_array())
                for (auto const& rule : rules->get_array())
                    if (auto const* o =
                            find(rule.if_object(), "allowedOrigins");
                        o && o->is_array())
                        for (auto const& origin : o->get_array())
                            origins +=
                                (origins.empty() ? "" : ", ") + display(origin);
            fact("Blob CORS origins", origins.empty() ? "none" : origins);
        } else {
            fact("Blob CORS origins",
                 why ? "could not be read" : "not in the input");
        }
        body_ += "</dl>\n</div>\n";
    }

    Finding const* finding_for(engine::Rule const& rule, std::uint16_t index,
                               engine::SubjectSummary const& s) const
    {
        std::string primary = s.speech_id, related = s.storage_id;
        if (rule.resource == engine::Target::storage && !s.storage_id.empty())
            std::swap(primary, related);
        else if (rule.resource == engine::Target::subscription)
            primary = "/subscriptions/" + model::subscription_of(s.speech_id),
            related = s.speech_id;
        auto const it = findings_.find(key(index, primary));
        if (it == findings_.end())
            return nullptr;
        // A storage account shared by two Speech accounts may hold two
        // findings of one rule: take the one about this pair.
        for (auto const i : it->second) {
            auto const& f = c_.result.findings[i];
            if (model::id_key(f.related.id) == model::id_key(related))
                return &f;
        }
        return &c_.result.findings[it->second.front()];
    }

    void outcomes(engine::SubjectSummary const& s,
                  std::vector<std::size_t> const& indices)
    {
        auto const& all = c_.result.outcomes;
        auto const& rules = c_.catalog.rules();
        auto sorted = indices;
        std::stable_sort(
            sorted.begin(), sorted.end(), [&](std::size_t a, std::size_t b) {
                auto const ra = rank(all[a].status);
                auto const rb = rank(all[b].status);
                if (ra != rb)
                    return ra < rb;
                return rules[all[a].rule].level > rules[all[b].rule].level;
            });

        auto& out = body_;
        out += "<table class=\"sortable outcomes\">\n<thead><tr>"
               "<th scope=\"col\">status</th><th scope=\"col\">level</th>"
               "<th scope=\"col\">rule</th><th scope=\"col\">violation checked "
               "for, and the finding</th>"
               "<th scope=\"col\">evidence</th><th scope=\"col\">fix</th>"
               "</tr></thead>\n<tbody>\n";
        for (auto const i : sorted) {
            auto const& o = all[i];
            auto const& rule = rules[o.rule];
            auto const* f =
                o.status == Status::failed || o.status == Status::not_evaluated
                    ? finding_for(rule, o.rule, s)
                    : nullptr;
            auto const t = f ? c_.triage_of(static_cast<std::size_t>(
                                   f - c_.result.findings.data()))
                             : triage::FindingTriage{};
            bool const accepted = t.suppression && o.status == Status::failed;
            auto const* status = accepted ? "suppressed" : css_class(o.status);
            out += "<tr class=\"outcome\" data-status=\"";
            out += status;
            out += "\" data-level=\"";
            out += engine::to_string(rule.level);
            out += "\" data-rule=\"";
            escape(out, rule.id);
            out += "\"><td data-sort=\"" + std::to_string(rank(o.status)) +
                   "\"><span class=\"badge ";
            out += status;
            out += "\">";
            out += accepted ? "suppressed" : label(o.status);
            out += "</span>";
            if (t.baseline == triage::BaselineState::new_ ||
                t.baseline == triage::BaselineState::updated) {
                out += " <span class=\"badge baseline\">";
                out += triage::to_string(t.baseline);
                out += "</span>";
            }
            out += "</td><td data-sort=\"" +
                   std::to_string(2 - static_cast<int>(rule.level)) + "\">";
            level_badge(rule.level);
            out += "</td><td>";
            escape(out, rule.id);
            out += "</td><td>";
            escape(out, rule.title);
            if (f && o.status == Status::failed) {
                out += "<br><strong>Found:</strong> ";
                escape(out, f->message);
                if (accepted) {
                    auto const& a = *t.suppression;
                    out += "<br><span class=\"suppressed\"><strong>Accepted"
                           "</strong> until ";
                    escape(out, a.expires);
                    if (!a.owner.empty()) {
                        out += " by ";
                        escape(out, a.owner);
                    }
                    out += " (";
                    escape(out, a.declared_at());
                    out += "): ";
                    escape(out, a.justification);
                    out += "</span>";
                }
            } else if (f) {
                out += "<br><span class=\"not-evaluated\">Not evaluated: ";
                escape(out, f->reason);
                out += "</span>";
            }
            out += "</td><td>";
            if (f) {
                evidence(f->evidence);
            } else if (o.status == Status::passed) {
                auto const noted = c_.result.pass_evidence.find(i);
                if (noted != c_.result.pass_evidence.end())
                    evidence(noted->second);
            }
            out += "</td><td>";
            if (o.status == Status::failed || o.status == Status::not_evaluated)
                fix(rule);
            out += "</td></tr>\n";
        }
        out += "</tbody>\n</table>\n";
    }

    // Each value the rule read, next to the test it was put to. The
    // condition as a whole describes the violation; one test in it may be
    // part of a where clause, so no single test is called "expected".
    void evidence(std::vector<engine::Evidence> const& noted)
    {
        if (noted.empty())
            return;
        auto& out = body_;
        out += "<ul class=\"evidence\">";
        for (auto const& e : noted) {
            out += "<li><code>";
            escape(out, e.field);
            out += "</code>: found <code>";
            escape(out, e.found);
            out += "</code>, tested <code>";
            escape(out, e.expected);
            out += "</code></li>";
        }
        out += "</ul>";
    }

    void fix(engine::Rule const& rule)
    {
        auto& out = body_;
        if (!rule.remediation_az.empty()) {
            out += "<pre class=\"az\"><code>";
            escape(out, rule.remediation_az);
            out += "</code></pre>";
        }
        if (!rule.remediation_portal.empty()) {
            out += "<details><summary>In the portal</summary><ol>";
            for (auto const& step : rule.remediation_portal) {
                out += "<li>";
                escape(out, step);
                out += "</li>";
            }
            out += "</ol></details>";
        }
        if (linkable(rule.help_uri)) {
            out += "<a href=\"";
            escape(out, rule.help_uri);
            out += "\" rel=\"noopener noreferrer\">";
            escape(out, rule.guidance.empty() ? "Guidance" : rule.guidance);
            out += "</a>";
        }
    }

    Context const& c_;
    std::string body_;
    std::unordered_map<std::string, std::vector<std::size_t>> findings_;
    std::vector<std::vector<std::size_t>> by_subject_;
    std::set<std::string> subscriptions_;
    std::set<std::string> groups_;
};

}

std::string html_report(Context const& context)
{
    return Page(context).render();
}

}
