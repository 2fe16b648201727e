#include "cli/commands.hpp"

#include "engine/audit.hpp"
#include "input/loader.hpp"
#include "util/files.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <ostream>

namespace byos::cli {

namespace {

void print_error(std::ostream& err, Error const& error)
{
    err << "byos-audit: error: " << error.describe() << "\n";
}

// ISO 8601 UTC. SOURCE_DATE_EPOCH, when set, fixes the clock so that
// reports are reproducible byte for byte.
std::string now_utc()
{
    std::time_t t = std::time(nullptr);
    if (char const* epoch = std::getenv("SOURCE_DATE_EPOCH"))
        t = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

Result<engine::Catalog> load_catalog(Options const& options)
{
    auto catalog = engine::Catalog::builtin();
    if (!catalog)
        return catalog;
    for (auto const& dir : options.rule_dirs)
        if (auto error = catalog->add_directory(dir))
            return *error;
    return catalog;
}

int exit_code_for(engine::AuditResult const& result, FailOn fail_on)
{
    if (!result.complete())
        return exit_incomplete;
    if (fail_on == FailOn::never)
        return exit_clean;
    auto const threshold = static_cast<int>(fail_on);
    for (auto const& f : result.findings)
        if (f.status == engine::Status::failed &&
            static_cast<int>(f.level) >= threshold)
            return exit_findings;
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

Result<engine::Catalog> load_catalog(Options const& options)
{
    return byos::cli::load_catalog(options);
}

void print_error(std::ostream& err, Error const& error)
{
    byos::cli::print_error(err, error);
}

int audit_and_report(Options const& options,
                     std::vector<std::string> const& args,
                     engine::Catalog const& catalog, model::Estate& estate,
                     std::vector<std::string> warnings,
                     std::string const& started, std::ostream& out,
                     std::ostream& err, bool out_is_terminal)
{
    input::finish(estate);

    // The HTML report shows what every passing rule read, too.
    auto audit_options = options.audit;
    auto const& formats = options.formats;
    audit_options.pass_evidence =
        std::find(formats.begin(), formats.end(), report::Format::html) !=
        formats.end();
    auto result = engine::audit(estate, catalog, audit_options);
    warnings.insert(warnings.end(), result.warnings.begin(),
                    result.warnings.end());
    for (auto const& warning : warnings)
        err << "byos-audit: warning: " << warning << "\n";

    report::Context context{result,  catalog,   estate, options.audit,
                            started, now_utc(), args,   options.sarif};
    report::TextStyle style;
    style.verbose = options.verbose;
    style.color = out_is_terminal && !options.output &&
                  std::getenv("NO_COLOR") == nullptr;
    if (auto error = write_reports(options, context, style, out)) {
        print_error(err, *error);
        return exit_usage;
    }
    return exit_code_for(result, options.fail_on);
}

}

namespace {

int check(Options const& options, std::vector<std::string> const& args,
          std::ostream& out, std::ostream& err, bool out_is_terminal)
{
    auto const started = now_utc();
    auto catalog = load_catalog(options);
    if (!catalog) {
        print_error(err, catalog.error());
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
    return detail::audit_and_report(options, args, *catalog, estate,
                                    std::move(warnings), started, out, err,
                                    out_is_terminal);
}

int rules_list(Options const& options, std::ostream& out, std::ostream& err)
{
    auto catalog = load_catalog(options);
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
    auto catalog = load_catalog(options);
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
    }
    return exit_internal;
}

}
