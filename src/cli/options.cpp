#include "cli/options.hpp"

#include "util/strings.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <sstream>

namespace byos::cli {

namespace po = boost::program_options;

namespace {

po::options_description audit_options()
{
    po::options_description o("Options for check");
    auto add = o.add_options();
    add("scenario", po::value<std::string>()->default_value("stt"),
        "stt, tts or both: which BYOS guidance the storage account must "
        "follow (a Speech resource tagged byos-audit-scenario overrides it)");
    add("speech-studio", po::bool_switch(),
        "also check what Speech Studio needs (BYOS018, BYOS022)");
    add("rules", po::value<std::vector<std::string>>()->composing(),
        "a folder of rule files that add to or replace the built-in rules "
        "(repeatable)");
    add("format", po::value<std::string>()->default_value("text"),
        "text, json, sarif, html, markdown or junit; several, "
        "comma-separated, need --output DIR");
    add("output,o", po::value<std::string>(),
        "write the report to this file (atomically) instead of stdout; with "
        "several formats, a folder that receives byos-audit.txt, .json, "
        ".sarif, .html, .md and .junit.xml");
    add("fail-on", po::value<std::string>()->default_value("warning"),
        "error, warning, note or never: the lowest level that makes the "
        "exit code 1");
    add("sarif-category", po::value<std::string>(),
        "a category for the SARIF run (automationDetails.id), to tell apart "
        "several uploads of byos-audit results");
    add("sarif-include-passes", po::bool_switch(),
        "add results for rules that passed or did not apply (kind pass and "
        "notApplicable), as evidence for auditors");
    add("verbose,v", po::bool_switch(),
        "show what each finding read, its related resource and its fix");
    add("quiet,q", po::bool_switch(),
        "print only the summary of a text report");
    return o;
}

constexpr std::array<NameRow<report::Format>, 6> format_names = {{
    {"text", report::Format::text},
    {"json", report::Format::json},
    {"sarif", report::Format::sarif},
    {"markdown", report::Format::markdown},
    {"junit", report::Format::junit},
    {"html", report::Format::html},
}};

// "sarif,html" gives each format once, in the order given.
Result<std::vector<report::Format>> parse_formats(std::string const& value)
{
    std::vector<report::Format> formats;
    for (auto const& name : split_trimmed(value, ',')) {
        auto const format = find_by_name(format_names, name);
        if (!format)
            return Error{"", "",
                         "--format takes " + names_of(format_names) +
                             ", not '" + name + "'"};
        if (std::find(formats.begin(), formats.end(), *format) != formats.end())
            return Error{"", "", "--format names " + name + " twice"};
        formats.push_back(*format);
    }
    if (formats.empty())
        return Error{"", "", "--format needs at least one format"};
    return formats;
}

constexpr std::array<NameRow<FailOn>, 4> fail_on_names = {{
    {"error", FailOn::error},
    {"warning", FailOn::warning},
    {"note", FailOn::note},
    {"never", FailOn::never},
}};

template <class E, std::size_t N>
Result<E> pick(po::variables_map const& vm, std::string const& option,
               std::array<NameRow<E>, N> const& names)
{
    auto const& value = vm[option].as<std::string>();
    if (auto const e = find_by_name(names, value))
        return *e;
    return Error{"", "",
                 "--" + option + " takes " + names_of(names) + ", not '" +
                     value + "'"};
}

Status read_audit_options(po::variables_map const& vm, Options& options)
{
    auto scenario = pick(vm, "scenario", engine::scenario_names);
    if (!scenario)
        return scenario.error();
    options.audit.scenario = *scenario;
    options.audit.speech_studio = vm["speech-studio"].as<bool>();

    auto formats = parse_formats(vm["format"].as<std::string>());
    if (!formats)
        return formats.error();
    options.formats = std::move(*formats);

    auto fail_on = pick(vm, "fail-on", fail_on_names);
    if (!fail_on)
        return fail_on.error();
    options.fail_on = *fail_on;

    if (vm.count("rules"))
        options.rule_dirs = vm["rules"].as<std::vector<std::string>>();
    if (vm.count("output"))
        options.output = vm["output"].as<std::string>();
    if (options.formats.size() > 1 && !options.output)
        return Error{"", "", "several formats need --output DIR"};
    if (vm.count("sarif-category"))
        options.sarif.category = vm["sarif-category"].as<std::string>();
    options.sarif.include_passes = vm["sarif-include-passes"].as<bool>();
    options.verbose = vm["verbose"].as<bool>();
    options.quiet = vm["quiet"].as<bool>();
    return std::nullopt;
}

}

std::string help_text()
{
    std::ostringstream out;
    out << "usage: byos-audit check [OPTIONS] FILE...\n"
           "       byos-audit rules [--rules DIR]\n"
           "       byos-audit rules show ID [--rules DIR]\n"
           "       byos-audit scan\n"
           "       byos-audit --help | --version\n"
           "\n"
           "Audits Azure 'bring your own storage' (BYOS) Speech resources and "
           "their\nstorage accounts against Microsoft's BYOS guidance.\n"
           "\n"
           "Commands:\n"
           "  check FILE...   audit JSON files: snapshots, or what az, ARM "
           "and Resource\n"
           "                  Graph print; KIND=FILE says what an empty list "
           "holds\n"
           "  rules           list the rule catalog\n"
           "  rules show ID   print one rule's rationale, fix and references\n"
           "  scan            live audit of Azure (not in this version)\n"
           "\n"
        << audit_options()
        << "\n"
           "Exit codes:\n"
           "  0  no finding at or above --fail-on\n"
           "  1  findings at or above --fail-on\n"
           "  2  usage error or unreadable input (nothing is written)\n"
           "  3  audit incomplete: something could not be read or "
           "evaluated\n"
           "     (3 outranks 1)\n"
           "  4  internal error\n";
    return out.str();
}

Result<Options> parse_options(std::vector<std::string> const& args)
{
    Options options;
    if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
        args[0] == "help")
        return options;
    if (args[0] == "--version") {
        options.command = Command::version;
        return options;
    }

    auto const& command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());

    po::options_description visible = audit_options();
    po::options_description hidden;
    hidden.add_options()(
        "input", po::value<std::vector<std::string>>()->composing(), "");
    hidden.add_options()("help,h", po::bool_switch(), "");
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positional;
    positional.add("input", -1);

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(rest)
                      .options(all)
                      .positional(positional)
                      .run(),
                  vm);
        po::notify(vm);
    } catch (po::error const& e) {
        return Error{"", "", e.what()};
    }
    if (vm["help"].as<bool>())
        return options;

    if (auto error = read_audit_options(vm, options))
        return *error;
    if (vm.count("input"))
        options.inputs = vm["input"].as<std::vector<std::string>>();

    if (command == "check") {
        options.command = Command::check;
        if (options.inputs.empty())
            return Error{"", "", "check needs at least one FILE"};
    } else if (command == "scan") {
        options.command = Command::scan;
    } else if (command == "rules") {
        options.command = Command::rules_list;
        if (!options.inputs.empty()) {
            if (options.inputs[0] != "show" || options.inputs.size() != 2)
                return Error{"", "", "usage: byos-audit rules show ID"};
            options.command = Command::rules_show;
            options.rule_id = options.inputs[1];
        }
        options.inputs.clear();
    } else {
        return Error{"", "",
                     "unknown command '" + command +
                         "' (try byos-audit --help)"};
    }
    return options;
}

}
