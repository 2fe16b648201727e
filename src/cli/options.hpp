#pragma once

// The command line: which command runs, with which settings. Parsing is
// separate from running so that tests can check both.

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
    std::string resource_group;
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
};

// Parses argv (without the program name). An Error means a usage error.
Result<Options> parse_options(std::vector<std::string> const& args);

std::string help_text();

}
