#include "cli/options.hpp"

#include "auth/credential.hpp"

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

po::options_description scan_options()
{
    po::options_description o("Options for scan");
    auto add = o.add_options();
    add("subscription", po::value<std::vector<std::string>>()->composing(),
        "a subscription ID to scan (repeatable); without it, every "
        "subscription the identity can see");
    add("resource-group", po::value<std::string>(),
        "scan the Speech accounts of this resource group only");
    add("management-group",
        po::value<std::vector<std::string>>()->composing(),
        "scan a management group through Resource Graph (repeatable)");
    add("resource-graph", po::bool_switch(),
        "list Speech accounts with Azure Resource Graph queries (also used "
        "past 50 subscriptions)");
    add("cloud", po::value<std::string>()->default_value("AzureCloud"),
        "AzureCloud, AzureUSGovernment or AzureChinaCloud: the ARM "
        "endpoint, authority and token audience");
    add("arm-endpoint", po::value<std::string>(),
        "the ARM endpoint to use instead of the cloud's (Azure Stack, "
        "tests)");
    add("auth", po::value<std::string>(),
        "use this credential and no other: environment, "
        "workload-identity, managed-identity or azure-cli");
    add("ca-file", po::value<std::string>(),
        "certificates to trust besides the system store (SSL_CERT_FILE "
        "adds them too); TLS is always verified");
    add("imds-endpoint", po::value<std::string>(),
        "the instance metadata service for managed identity (default "
        "AZURE_POD_IDENTITY_AUTHORITY_HOST, else http://169.254.169.254)");
    add("concurrency", po::value<std::size_t>()->default_value(16),
        "requests in flight at most");
    add("timeout", po::value<int>()->default_value(30),
        "seconds a request may take");
    add("deadline", po::value<int>()->default_value(3600),
        "seconds the whole scan may take; what is not read by then is "
        "reported as not audited");
    add("retries", po::value<int>()->default_value(4),
        "retries of a throttled or failed request");
    add("retry-delay-ms", po::value<int>()->default_value(800),
        "the first retry's delay without Retry-After; it doubles each "
        "time, with jitter, up to a minute");
    add("save-snapshot", po::value<std::string>(),
        "write what was collected to this file, for `check` to audit "
        "again");
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

// The options that only `scan` takes, other than their defaults.
constexpr std::array<char const*, 9> scan_only = {
    "subscription", "resource-group", "management-group",
    "arm-endpoint", "auth",           "ca-file",
    "imds-endpoint", "save-snapshot", "resource-graph",
};

Status read_scan_options(po::variables_map const& vm, ScanOptions& scan)
{
    auto const text = [&](char const* name, std::string& into) {
        if (vm.count(name))
            into = vm[name].as<std::string>();
    };
    if (vm.count("subscription"))
        scan.subscriptions =
            vm["subscription"].as<std::vector<std::string>>();
    for (auto const& sub : scan.subscriptions)
        if (sub.empty() || sub.find('/') != std::string::npos)
            return Error{"", "",
                         "--subscription takes a subscription ID, not '" +
                             sub + "'"};
    text("resource-group", scan.resource_group);
    if (vm.count("management-group"))
        scan.management_groups =
            vm["management-group"].as<std::vector<std::string>>();
    scan.resource_graph = vm["resource-graph"].as<bool>();

    scan.cloud = vm["cloud"].as<std::string>();
    auto const* cloud = auth::cloud_named(scan.cloud);
    if (!cloud)
        return Error{"", "",
                     "--cloud takes AzureCloud, AzureUSGovernment or "
                     "AzureChinaCloud, not '" +
                         scan.cloud + "'"};
    scan.cloud = cloud->name;
    text("arm-endpoint", scan.arm_endpoint);
    if (!scan.arm_endpoint.empty())
        if (auto url = net::parse_url(scan.arm_endpoint); !url)
            return Error{"", "", "--arm-endpoint: " + url.error().message};
    text("auth", scan.auth);
    if (!scan.auth.empty() && !auth::kind_named(scan.auth))
        return Error{"", "",
                     "--auth takes " + auth::kind_names() + ", not '" +
                         scan.auth + "'"};
    text("ca-file", scan.ca_file);
    text("imds-endpoint", scan.imds_endpoint);
    if (vm.count("save-snapshot"))
        scan.save_snapshot = vm["save-snapshot"].as<std::string>();

    scan.concurrency = vm["concurrency"].as<std::size_t>();
    scan.timeout_seconds = vm["timeout"].as<int>();
    scan.deadline_seconds = vm["deadline"].as<int>();
    scan.retries = vm["retries"].as<int>();
    scan.retry_delay_ms = vm["retry-delay-ms"].as<int>();
    if (scan.concurrency < 1 || scan.concurrency > 256)
        return Error{"", "", "--concurrency takes 1 to 256"};
    if (scan.timeout_seconds < 1 || scan.deadline_seconds < 1)
        return Error{"", "", "--timeout and --deadline take 1 or more"};
    if (scan.retries < 0 || scan.retries > 10 || scan.retry_delay_ms < 0)
        return Error{"", "",
                     "--retries takes 0 to 10, --retry-delay-ms 0 or more"};
    return std::nullopt;
}

}

std::string help_text()
{
    std::ostringstream out;
    out << "usage: byos-audit check [OPTIONS] FILE...\n"
           "       byos-audit rules [--rules DIR]\n"
           "       byos-audit rules show ID [--rules DIR]\n"
           "       byos-audit scan [--subscription ID]... [OPTIONS]\n"
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
           "  scan            read the estate from Azure Resource Manager "
           "(read-only:\n"
           "                  the Reader role is enough) and audit it\n"
           "\n"
        << audit_options() << "\n"
        << scan_options()
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
    visible.add(scan_options());
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

    if (command != "scan")
        for (auto const* name : scan_only)
            if (vm.count(name) && !vm[name].defaulted())
                return Error{"", "",
                             "--" + std::string(name) + " is for scan"};
    if (command == "scan")
        if (auto error = read_scan_options(vm, options.scan))
            return *error;

    if (command == "check") {
        options.command = Command::check;
        if (options.inputs.empty())
            return Error{"", "", "check needs at least one FILE"};
    } else if (command == "scan") {
        options.command = Command::scan;
        if (!options.inputs.empty())
            return Error{"", "",
                         "scan reads Azure, not files ('" +
                             options.inputs.front() +
                             "'); audit files with check"};
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
