#include "cli/commands.hpp"

#include "engine/audit.hpp"
#include "input/loader.hpp"
#include "triage/triage.hpp"
#include "util/clock.hpp"
#include "util/files.hpp"
#include "util/names.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <ostream>

namespace byos::cli {

namespace {

void print_error(std::ostream& err, Error const& error)
{
    err << "byos-audit: error: " << error.describe() << "\n";
}

// ISO 8601 UTC, from the clock SOURCE_DATE_EPOCH can fix.
std::string now_utc()
{
    return utc_now("%Y-%m-%dT%H:%M:%SZ");
}

// The built-in rules, the --rules folders, then the configuration's rule
// settings. Each turned-off or re-levelled rule leaves a notice, so that
// reports say the catalog is not the stock one.
Result<engine::Catalog> load_catalog(Options const& options,
                                     std::vector<triage::Notice>* notices)
{
    auto catalog = engine::Catalog::builtin();
    if (!catalog)
        return catalog;
    for (auto const& dir : options.rule_dirs)
        if (auto error = catalog->add_directory(dir))
            return *error;

    for (auto const& s : options.suppressions)
        if (!catalog->find(s.rule))
            return Error{s.file, "line " + std::to_string(s.at.line),
                         "the suppression names no rule '" + s.rule +
                             "' (byos-audit rules lists them)"};
    for (auto const& o : options.rule_overrides) {
        bool const known = o.off ? catalog->remove(o.rule)
                                 : catalog->set_level(o.rule, o.level);
        if (!known)
            return Error{o.file, "line " + std::to_string(o.at.line),
                         "'rules' names no rule '" + o.rule +
                             "' (byos-audit rules lists them)"};
        if (notices)
            notices->push_back(
                {"note",
                 o.rule +
                     (o.off ? " is turned off"
                            : std::string(" is given the level ") +
                                  engine::to_string(o.level)) +
                     " by " + json::file_line(o.file, o.at),
                 o.file, o.at});
    }
    return catalog;
}

// Suppressed findings never fail the run; with --fail-on-new only new
// ones do. What could not be read or evaluated always does, as 3.
int exit_code_for(engine::AuditResult const& result,
                  triage::Triage const& triaged, Options const& options)
{
    if (!result.complete())
        return exit_incomplete;
    if (options.fail_on == FailOn::never)
        return exit_clean;
    auto const threshold = static_cast<int>(options.fail_on);
    for (std::size_t i = 0; i < result.findings.size(); ++i) {
        auto const& f = result.findings[i];
        auto const& t = triaged.findings[i];
        if (f.status != engine::Status::failed || t.suppression ||
            static_cast<int>(f.level) < threshold)
            continue;
        if (options.fail_on_new && t.baseline != triage::BaselineState::new_)
            continue;
        return exit_findings;
    }
    return exit_clean;
}

std::string render(report::Format format, report::Context const& context,
                   report::TextStyle style, bool quiet)
{
    auto text = report::render(format, context, style);
    if (quiet && format == report::Format::text)
        text = text.substr(text.rfind("\n\n") + 2);
    return text;
}

// One format goes to stdout or to the --output file; several go to the
// --output folder under their fixed names. Every report is rendered and
// checked before the first is written, and each file is written
// atomically.
Status write_reports(Options const& options, report::Context const& context,
                     report::TextStyle style, std::ostream& out)
{
    auto const& formats = options.formats;
    bool const sarif = std::find(formats.begin(), formats.end(),
                                 report::Format::sarif) != formats.end();
    if (sarif)
        if (auto error = report::check_sarif_limits(context))
            return error;

    std::vector<std::pair<report::Format, std::string>> reports;
    for (auto const format : formats) {
        reports.emplace_back(format,
                             render(format, context, style, options.quiet));
        if (format == report::Format::sarif)
            if (auto error = report::check_sarif_size(reports.back().second))
                return error;
    }

    if (reports.size() == 1) {
        auto const& text = reports.front().second;
        if (!options.output) {
            out << text << std::flush;
            return std::nullopt;
        }
        return write_file_atomically(*options.output, text);
    }

    auto const& dir = *options.output;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (!std::filesystem::is_directory(dir))
        return Error{dir, "", "is not a folder for several reports"};
    for (auto const& [format, text] : reports)
        if (auto error = write_file_atomically(
                dir + "/" + report::file_name(format), text))
            return error;
    return std::nullopt;
}

}

namespace detail {

std::string now_utc()
{
    return byos::cli::now_utc();
}

Result<Prepared> prepare(Options const& options)
{
    std::vector<triage::Notice> notices;
    auto catalog = load_catalog(options, &notices);
    if (!catalog)
        return catalog.error();
    Prepared prepared{std::move(*catalog), std::nullopt, std::move(notices)};
    if (options.baseline) {
        auto baseline = triage::read_baseline(*options.baseline);
        if (!baseline)
            return baseline.error();
        prepared.baseline = std::move(*baseline);
    }
    return prepared;
}

void print_error(std::ostream& err, Error const& error)
{
    byos::cli::print_error(err, error);
}

int audit_and_report(Options const& options,
                     std::vector<std::string> const& args,
                     Prepared const& prepared, model::Estate& estate,
                     std::vector<std::string> warnings,
                     std::string const& started, std::ostream& out,
                     std::ostream& err, bool out_is_terminal)
{
    auto const& catalog = prepared.catalog;
    input::finish(estate);

    // The HTML report shows what every passing rule read, too.
    auto audit_options = options.audit;
    auto const& formats = options.formats;
    audit_options.pass_evidence =
        std::find(formats.begin(), formats.end(), report::Format::html) !=
        formats.end();
    auto result = engine::audit(estate, catalog, audit_options);
    auto triaged =
        triage::triage(result, catalog, options.suppressions, options.today,
                       prepared.baseline ? &*prepared.baseline : nullptr);
    triaged.notices.insert(triaged.notices.begin(), prepared.notices.begin(),
                           prepared.notices.end());
    warnings.insert(warnings.end(), result.warnings.begin(),
                    result.warnings.end());
    for (auto const& notice : triaged.notices)
        if (notice.level == "warning")
            warnings.push_back(notice.message);
    for (auto const& warning : warnings)
        err << "byos-audit: warning: " << warning << "\n";

    report::Context context{result,        catalog,       estate,
                            options.audit, started,       now_utc(),
                            args,          options.sarif, &triaged};
    report::TextStyle style;
    style.verbose = options.verbose;
    style.color = out_is_terminal && !options.output &&
                  std::getenv("NO_COLOR") == nullptr;
    if (auto error = write_reports(options, context, style, out)) {
        print_error(err, *error);
        return exit_usage;
    }
    return exit_code_for(result, triaged, options);
}

}

namespace {

int check(Options const& options, std::vector<std::string> const& args,
          std::ostream& out, std::ostream& err, bool out_is_terminal)
{
    auto const started = now_utc();
    auto prepared = detail::prepare(options);
    if (!prepared) {
        print_error(err, prepared.error());
        return exit_usage;
    }

    model::Estate estate;
    std::vector<std::string> warnings;
    for (auto const& input : options.inputs) {
        if (auto error = input::load(input, estate, warnings)) {
            print_error(err, *error);
            return exit_usage;
        }
    }
    return detail::audit_and_report(options, args, *prepared, estate,
                                    std::move(warnings), started, out, err,
                                    out_is_terminal);
}

int rules_list(Options const& options, std::ostream& out, std::ostream& err)
{
    auto catalog = load_catalog(options, nullptr);
    if (!catalog) {
        print_error(err, catalog.error());
        return exit_usage;
    }
    for (auto const& rule : catalog->rules()) {
        std::string level = engine::to_string(rule.level);
        level.resize(8, ' ');
        std::string resource = engine::to_string(rule.resource);
        resource.resize(13, ' ');
        out << rule.id << "  " << level << resource << rule.title << "\n";
    }
    return exit_clean;
}

int rules_show(Options const& options, std::ostream& out, std::ostream& err)
{
    auto catalog = load_catalog(options, nullptr);
    if (!catalog) {
        print_error(err, catalog.error());
        return exit_usage;
    }
    auto const* rule = catalog->find(options.rule_id);
    if (!rule) {
        err << "byos-audit: error: no rule " << options.rule_id
            << " (byos-audit rules lists them)\n";
        return exit_usage;
    }

    std::string scenarios;
    for (auto s :
         {engine::Scenario::stt, engine::Scenario::tts, engine::Scenario::both})
        if (rule->applies_in(s))
            scenarios += (scenarios.empty() ? "" : ", ") +
                         std::string(engine::to_string(s));

    out << rule->id << " " << rule->name << ": " << rule->title << "\n\n"
        << "Level:     " << engine::to_string(rule->level) << "\n"
        << "Lands on:  " << engine::to_string(rule->resource) << "\n"
        << "Scenarios: " << scenarios
        << (rule->speech_studio_only ? " (with --speech-studio)" : "") << "\n\n"
        << "Why it matters\n  " << rule->rationale << "\n\n"
        << "Fix with az\n  " << rule->remediation_az << "\n\n"
        << "Fix in the portal\n";
    for (std::size_t i = 0; i < rule->remediation_portal.size(); ++i)
        out << "  " << i + 1 << ". " << rule->remediation_portal[i] << "\n";
    out << "\nGuidance\n  " << rule->guidance << "\n  " << rule->help_uri
        << "\n";
    return exit_clean;
}

// The effective settings, one a line, with where each came from; then
// what the configuration file adds that has no option.
int show_config(Options const& options, std::ostream& out, std::ostream& err)
{
    auto catalog = load_catalog(options, nullptr);
    if (!catalog) {
        print_error(err, catalog.error());
        return exit_usage;
    }
    out << "configuration file: "
        << (options.config_file ? *options.config_file : "(none)") << "\n\n";
    std::size_t width = 0;
    for (auto const& s : options.settings)
        width = std::max(width, s.option.size());
    for (auto const& s : options.settings) {
        std::string name = s.option;
        name.resize(width + 2, ' ');
        out << name << (s.value.empty() ? "(none)" : s.value) << "  ("
            << s.source << ")\n";
    }
    for (auto const& p : options.audit.scenario_patterns)
        out << "scenario " << engine::to_string(p.scenario) << " for "
            << p.resource << "  (" << *options.config_file << ")\n";
    for (auto const& o : options.rule_overrides)
        out << "rule " << o.rule << " "
            << (o.off ? "off" : engine::to_string(o.level)) << "  ("
            << json::file_line(o.file, o.at) << ")\n";
    for (auto const& s : options.suppressions) {
        bool const expired = s.expires < options.today;
        out << "suppression " << s.rule << " " << s.resource << " until "
            << s.expires << (expired ? " (expired)" : "")
            << (s.owner.empty() ? "" : ", owner " + s.owner) << "  ("
            << s.declared_at() << ")\n";
    }
    return exit_clean;
}

// New, fixed and still open between two SARIF reports. Exits 1 when
// something new is at or above --fail-on, like --fail-on-new.
int diff(Options const& options, std::ostream& out, std::ostream& err)
{
    auto before = triage::read_baseline(options.inputs[0]);
    if (!before) {
        print_error(err, before.error());
        return exit_usage;
    }
    auto after = triage::read_baseline(options.inputs[1]);
    if (!after) {
        print_error(err, after.error());
        return exit_usage;
    }
    auto const changes = triage::diff(*before, *after);
    auto const text = report::diff_report(
        changes, options.inputs[0], options.inputs[1],
        options.formats.front() == report::Format::markdown);
    if (options.output) {
        if (auto error = write_file_atomically(*options.output, text)) {
            print_error(err, *error);
            return exit_usage;
        }
    } else {
        out << text << std::flush;
    }

    if (options.fail_on == FailOn::never)
        return exit_clean;
    for (auto const& r : changes.added) {
        if (r.suppressed)
            continue;
        auto const level = find_by_name(engine::level_names, r.level);
        if (level &&
            static_cast<int>(*level) >= static_cast<int>(options.fail_on))
            return exit_findings;
    }
    return exit_clean;
}

}

int run(Options const& options, std::vector<std::string> const& args,
        std::ostream& out, std::ostream& err, bool out_is_terminal)
{
    switch (options.command) {
    case Command::help: out << help_text(); return exit_clean;
    case Command::version:
        out << "byos-audit " << BYOS_AUDIT_VERSION << "\n";
        return exit_clean;
    case Command::check: return check(options, args, out, err, out_is_terminal);
    case Command::scan:
        return detail::scan(options, args, out, err, out_is_terminal);
    case Command::rules_list: return rules_list(options, out, err);
    case Command::rules_show: return rules_show(options, out, err);
    case Command::config: return show_config(options, out, err);
    case Command::diff: return diff(options, out, err);
    }
    return exit_internal;
}

}
