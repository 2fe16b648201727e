#include "cli/options.hpp"

#include "auth/credential.hpp"

#include "util/clock.hpp"
#include "util/strings.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

#include <unistd.h>

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
    add("config", po::value<std::string>(),
        "read settings from this file instead of the .byos-audit.json of "
        "the working folder or its nearest parent in the repository");
    add("baseline", po::value<std::string>(),
        "an earlier byos-audit SARIF report: mark each finding new, "
        "unchanged or updated, and list those fixed since as absent");
    add("fail-on-new", po::bool_switch(),
        "with --baseline, let only new findings at or above --fail-on make "
        "the exit code 1");
    add("github", po::bool_switch(),
        "SARIF for GitHub code scanning, which ignores SARIF suppressions "
        "and baseline states: leave out suppressed and absent results");
    add("sarif-drop-suppressed", po::bool_switch(),
        "leave suppressed findings out of the SARIF report");
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
    add("resource-group", po::value<std::vector<std::string>>()->composing(),
        "scan the Speech accounts of this resource group only "
        "(repeatable)");
    add("management-group", po::value<std::vector<std::string>>()->composing(),
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
    options.sarif.drop_suppressed =
        vm["sarif-drop-suppressed"].as<bool>() || vm["github"].as<bool>();
    options.sarif.drop_absent = vm["github"].as<bool>();
    if (vm.count("baseline"))
        options.baseline = vm["baseline"].as<std::string>();
    options.fail_on_new = vm["fail-on-new"].as<bool>();
    if (options.fail_on_new && !options.baseline)
        return Error{"", "", "--fail-on-new needs --baseline"};
    options.verbose = vm["verbose"].as<bool>();
    options.quiet = vm["quiet"].as<bool>();
    return std::nullopt;
}

// The options that only `scan` takes, other than their defaults.
constexpr std::array<char const*, 9> scan_only = {
    "subscription",  "resource-group", "management-group",
    "arm-endpoint",  "auth",           "ca-file",
    "imds-endpoint", "save-snapshot",  "resource-graph",
};

Status read_scan_options(po::variables_map const& vm, ScanOptions& scan)
{
    auto const text = [&](char const* name, std::string& into) {
        if (vm.count(name))
            into = vm[name].as<std::string>();
    };
    if (vm.count("subscription"))
        scan.subscriptions = vm["subscription"].as<std::vector<std::string>>();
    for (auto const& sub : scan.subscriptions)
        if (sub.empty() || sub.find('/') != std::string::npos)
            return Error{"", "",
                         "--subscription takes a subscription ID, not '" + sub +
                             "'"};
    if (vm.count("resource-group"))
        scan.resource_groups =
            vm["resource-group"].as<std::vector<std::string>>();
    // Names go into Resource Graph queries: ARM allows letters, digits,
    // '_', '-', '.', '(' and ')', and nothing that could end a string.
    for (auto const& group : scan.resource_groups)
        if (group.empty() || group.size() > 90 ||
            group.find_first_of("'\"/\\ ") != std::string::npos)
            return Error{"", "",
                         "--resource-group takes a resource group name, "
                         "not '" +
                             group + "'"};
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
           "       byos-audit diff OLD.sarif NEW.sarif [--format "
           "text|markdown]\n"
           "       byos-audit config [OPTIONS]\n"
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
           "  diff OLD NEW    what is new, fixed and still open between two "
           "SARIF\n"
           "                  reports of byos-audit\n"
           "  config          print the effective settings and where each "
           "came from\n"
           "\n"
           "Settings come from the command line, else a BYOS_AUDIT_ variable "
           "(the\noption's name in upper case, '_' for '-'), else the "
           "configuration file\n(.byos-audit.json or --config), else their "
           "defaults.\n"
           "\n"
        << audit_options() << "\n"
        << scan_options()
        << "\n"
           "Exit codes:\n"
           "  0  no finding at or above --fail-on (with --fail-on-new: no "
           "new one)\n"
           "  1  findings at or above --fail-on\n"
           "  2  usage error or unreadable input (nothing is written)\n"
           "  3  audit incomplete: something could not be read or "
           "evaluated\n"
           "     (3 outranks 1)\n"
           "  4  internal error\n";
    return out.str();
}

namespace {

// Where a layered setting came from, so that an error in it can name the
// variable, or the file and line, instead of an option nobody typed.
struct Origin
{
    std::string source; // as `config` prints it
    Error place;        // file and where, without the message
};

po::options_description all_options()
{
    po::options_description all = audit_options();
    all.add(scan_options());
    all.add_options()("input",
                      po::value<std::vector<std::string>>()->composing(), "");
    all.add_options()("help,h", po::bool_switch(), "");
    return all;
}

Result<po::variables_map>
parse_command_line(std::vector<std::string> const& rest)
{
    po::positional_options_description positional;
    positional.add("input", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(rest)
                      .options(all_options())
                      .positional(positional)
                      .run(),
                  vm);
        po::notify(vm);
    } catch (po::error const& e) {
        return Error{"", "", e.what()};
    }
    return vm;
}

// A value of the command line as `config` prints it.
std::string shown(po::variable_value const& v)
{
    if (v.empty())
        return "";
    if (auto const* b = boost::any_cast<bool>(&v.value()))
        return *b ? "true" : "false";
    if (auto const* t = boost::any_cast<std::string>(&v.value()))
        return *t;
    if (auto const* l = boost::any_cast<std::vector<std::string>>(&v.value()))
        return join(*l, ", ");
    if (auto const* n = boost::any_cast<std::size_t>(&v.value()))
        return std::to_string(*n);
    if (auto const* i = boost::any_cast<int>(&v.value()))
        return std::to_string(*i);
    return "?";
}

Result<bool> parse_flag(std::string const& name, std::string const& value)
{
    auto const v = to_lower(trim(value));
    if (v == "true" || v == "1" || v == "yes")
        return true;
    if (v == "false" || v == "0" || v == "no" || v.empty())
        return false;
    return Error{"", "", name + " takes true or false, not '" + value + "'"};
}

// The values each layer under the command line gives a setting.
struct Layers
{
    std::map<std::string, std::vector<std::string>> environment;
    std::optional<ConfigFile> file;
};

Result<Layers> read_layers(po::variables_map const& vm, Environment const& env)
{
    Layers layers;
    std::optional<std::string> config_path;
    for (auto const& [name, value] : env.variables) {
        if (name == "BYOS_AUDIT_CONFIG") {
            config_path = value;
            continue;
        }
        LayeredSetting const* setting = nullptr;
        for (auto const& s : layered_settings())
            if (environment_name(s.option) == name)
                setting = &s;
        if (!setting) {
            std::string known = "BYOS_AUDIT_CONFIG";
            for (auto const& s : layered_settings())
                known += ", " + environment_name(s.option);
            return Error{"", "",
                         name +
                             " is not a byos-audit setting; the "
                             "variables are " +
                             known};
        }
        std::vector<std::string> values;
        if (setting->kind == SettingKind::list) {
            values = split_trimmed(value, ',');
        } else if (setting->kind == SettingKind::flag) {
            auto flag = parse_flag(name, value);
            if (!flag)
                return flag.error();
            values.emplace_back(*flag ? "true" : "false");
        } else {
            values.push_back(value);
        }
        layers.environment[setting->option] = std::move(values);
    }

    if (vm.count("config"))
        config_path = vm["config"].as<std::string>();
    if (!config_path) {
        config_path = find_config(env.directory);
    } else if (!config_path->empty() && config_path->front() != '/' &&
               env.directory != ".") {
        config_path = env.directory + "/" + *config_path;
    }
    if (config_path && !config_path->empty()) {
        auto file = read_config(*config_path);
        if (!file)
            return file.error();
        layers.file = std::move(*file);
    }
    return layers;
}

// Adds to `args` the options the environment and the file set and the
// command line does not, and records where every setting came from.
void add_layers(po::variables_map const& vm, Layers const& layers, bool scan,
                std::vector<std::string>& args,
                std::vector<Options::Setting>& settings,
                std::map<std::string, Origin>& origins)
{
    for (auto const& s : layered_settings()) {
        if (s.scan_only && !scan)
            continue;
        std::string const option = s.option;
        if (vm.count(option) && !vm[option].defaulted()) {
            settings.push_back({option, shown(vm[option]), "command line"});
            continue;
        }
        std::vector<std::string> const* values = nullptr;
        Origin origin;
        if (auto const it = layers.environment.find(option);
            it != layers.environment.end()) {
            values = &it->second;
            origin.source = environment_name(option);
            origin.place = Error{"", origin.source, ""};
        } else if (layers.file) {
            if (auto const it = layers.file->settings.find(option);
                it != layers.file->settings.end()) {
                values = &it->second.values;
                auto const& at = it->second.at;
                origin.source = json::file_line(layers.file->file, at);
                origin.place = Error{layers.file->file, json::line_column(at),
                                     std::string("'") + s.key + "'"};
            }
        }
        if (!values) {
            settings.push_back(
                {option, vm.count(option) ? shown(vm[option]) : "", "default"});
            continue;
        }
        settings.push_back({option, join(*values, ", "), origin.source});
        origins[option] = origin;
        for (auto const& v : *values) {
            if (s.kind == SettingKind::flag) {
                if (v == "true")
                    args.push_back("--" + option);
            } else {
                args.push_back("--" + option + "=" + v);
            }
        }
    }
}

// An error about an option the environment or the file set names them.
Error attribute(Error error, std::map<std::string, Origin> const& origins)
{
    for (auto const& [option, origin] : origins) {
        auto const flag = "--" + option;
        for (auto at = error.message.find(flag); at != std::string::npos;
             at = error.message.find(flag, at + 1)) {
            auto const end = at + flag.size();
            if (end < error.message.size() &&
                (std::isalnum(static_cast<unsigned char>(error.message[end])) ||
                 error.message[end] == '-'))
                continue;
            auto place = origin.place;
            place.message =
                (place.message.empty() ? "" : place.message + ": ") +
                error.message;
            return place;
        }
    }
    return error;
}

}

Environment process_environment()
{
    Environment env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view const entry(*e);
        if (entry.rfind("BYOS_AUDIT_", 0) != 0)
            continue;
        auto const eq = entry.find('=');
        if (eq == std::string_view::npos)
            continue;
        env.variables.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
    }
    env.today = utc_now("%Y-%m-%d");
    return env;
}

Result<Options> parse_options(std::vector<std::string> const& args)
{
    return parse_options(args, process_environment());
}

Result<Options> parse_options(std::vector<std::string> const& args,
                              Environment const& environment)
{
    Options options;
    options.today = environment.today;
    if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
        args[0] == "help")
        return options;
    if (args[0] == "--version") {
        options.command = Command::version;
        return options;
    }

    auto const& command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    auto cli = parse_command_line(rest);
    if (!cli)
        return cli.error();
    if ((*cli)["help"].as<bool>())
        return options;

    // The environment and the configuration file fill in what the command
    // line leaves out, as if it had been typed after it.
    auto layers = read_layers(*cli, environment);
    if (!layers)
        return layers.error();
    bool const scan_settings = command == "scan" || command == "config";
    std::map<std::string, Origin> origins;
    add_layers(*cli, *layers, scan_settings, rest, options.settings, origins);
    auto merged = parse_command_line(rest);
    if (!merged)
        return attribute(merged.error(), origins);
    auto const& vm = *merged;
    if (layers->file) {
        options.config_file = layers->file->file;
        options.rule_overrides = layers->file->rules;
        options.suppressions = layers->file->suppressions;
        options.audit.scenario_patterns = layers->file->scenarios;
    }

    if (auto error = read_audit_options(vm, options))
        return attribute(*error, origins);
    if (vm.count("input"))
        options.inputs = vm["input"].as<std::vector<std::string>>();

    if (!scan_settings)
        for (auto const* name : scan_only)
            if (vm.count(name) && !vm[name].defaulted())
                return Error{"", "", "--" + std::string(name) + " is for scan"};
    if (scan_settings)
        if (auto error = read_scan_options(vm, options.scan))
            return attribute(*error, origins);

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
    } else if (command == "config") {
        options.command = Command::config;
        if (!options.inputs.empty())
            return Error{"", "", "config takes no FILE"};
    } else if (command == "diff") {
        options.command = Command::diff;
        if (options.inputs.size() != 2)
            return Error{"", "", "usage: byos-audit diff OLD.sarif NEW.sarif"};
        for (auto const f : options.formats)
            if (f != report::Format::text && f != report::Format::markdown)
                return Error{"", "", "diff writes text or markdown"};
    } else {
        return Error{"", "",
                     "unknown command '" + command +
                         "' (try byos-audit --help)"};
    }
    return options;
}

}
