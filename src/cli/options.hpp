#pragma once

// The command line: which command runs, with which settings. Parsing is
// separate from running so that tests can check both.

#include "cli/config.hpp"
#include "engine/pair_facts.hpp"
#include "engine/rule.hpp"
#include "report/report.hpp"
#include "util/error.hpp"

#include <optional>
#include <string>
#include <vector>

namespace byos::cli {

// The exit codes, documented in --help and the README.
enum ExitCode : int
{
    exit_clean = 0,      // nothing at or above --fail-on
    exit_findings = 1,   // findings at or above --fail-on
    exit_usage = 2,      // bad command line or bad input
    exit_incomplete = 3, // something could not be read or evaluated
    exit_internal = 4,   // a bug in byos-audit
};

enum class Command
{
    help,
    version,
    check,
    scan,
    rules_list,
    rules_show,
    config, // the effective settings and where each came from
    diff,   // what changed between two SARIF reports
};

// The lowest level that fails the run; `never` fails nothing.
enum class FailOn
{
    note,
    warning,
    error,
    never,
};

// How `scan` reaches Azure. Names are checked when parsed; the network
// layers' own types are made from them in commands.cpp, which keeps Asio
// out of every file that includes this one.
struct ScanOptions
{
    std::vector<std::string> subscriptions; // empty: every one visible
    std::vector<std::string> resource_groups; // empty: all
    std::vector<std::string> management_groups;
    bool resource_graph = false;
    std::string cloud = "AzureCloud";
    std::string arm_endpoint; // empty: the cloud's
    std::string auth;         // empty: the first credential configured
    std::string ca_file;
    std::string imds_endpoint; // empty: AZURE_POD_IDENTITY_AUTHORITY_HOST
    std::size_t concurrency = 16;
    int timeout_seconds = 30;
    int deadline_seconds = 3600;
    int retries = 4;
    int retry_delay_ms = 800;
    std::optional<std::string> save_snapshot;
};

struct Options
{
    Command command = Command::help;
    std::vector<std::string> inputs; // check: files
    std::string rule_id;             // rules show
    std::vector<std::string> rule_dirs;
    engine::AuditOptions audit;
    std::vector<report::Format> formats{report::Format::text};
    std::optional<std::string> output;
    FailOn fail_on = FailOn::warning;
    report::SarifOptions sarif;
    bool verbose = false;
    bool quiet = false;
    ScanOptions scan;

    // From the configuration file only.
    std::optional<std::string> config_file; // the file read, if any
    std::vector<RuleOverride> rule_overrides;
    std::vector<triage::Suppression> suppressions;

    std::optional<std::string> baseline; // an earlier SARIF report
    bool fail_on_new = false;            // gate on new findings only
    std::string today;                   // YYYY-MM-DD, for expiry dates

    // Every layered setting's effective value and where it came from, for
    // `byos-audit config`.
    struct Setting
    {
        std::string option;
        std::string value;
        std::string source; // "command line", "BYOS_AUDIT_X", "FILE:LINE"
    };
    std::vector<Setting> settings;
};

// What the layers under the command line read: the working folder (where
// the configuration file is looked for), the BYOS_AUDIT_ variables and
// the date.
struct Environment
{
    std::string directory = ".";
    std::vector<std::pair<std::string, std::string>> variables;
    std::string today; // YYYY-MM-DD
};

// The process's own: its working folder, its BYOS_AUDIT_ variables, and
// today in UTC (the day of SOURCE_DATE_EPOCH when that is set).
Environment process_environment();

// Parses argv (without the program name) over the environment and the
// configuration file. An Error means a usage error or a bad setting.
Result<Options> parse_options(std::vector<std::string> const& args,
                              Environment const& environment);
Result<Options> parse_options(std::vector<std::string> const& args);

std::string help_text();

}
