#pragma once

#include "cli/options.hpp"
#include "engine/catalog.hpp"
#include "model/estate.hpp"
#include "triage/triage.hpp"

#include <iosfwd>
#include <optional>

namespace byos::cli {

// Runs a parsed command line. Reports go to `out` (or the --output file),
// warnings and errors to `err` with a "byos-audit:" prefix. Returns the exit
// code. `out_is_terminal` turns on color for text reports.
int run(Options const& options, std::vector<std::string> const& args,
        std::ostream& out, std::ostream& err, bool out_is_terminal);

namespace detail {

// The parts `check` and `scan` share.
std::string now_utc();
void print_error(std::ostream& err, Error const& error);

// What an audit needs besides the estate: the catalog with the
// configuration's rule settings applied, and the baseline. Read before
// any input, so that a bad rule file, configuration or baseline stops the
// run before it reads anything.
struct Prepared
{
    engine::Catalog catalog;
    std::optional<triage::Baseline> baseline;
    std::vector<triage::Notice> notices; // rules turned off or re-levelled
};
Result<Prepared> prepare(Options const& options);

// Audits the loaded estate, writes the reports and returns the exit code.
int audit_and_report(Options const& options,
                     std::vector<std::string> const& args,
                     Prepared const& prepared, model::Estate& estate,
                     std::vector<std::string> warnings,
                     std::string const& started, std::ostream& out,
                     std::ostream& err, bool out_is_terminal);

// `scan`, in scan_command.cpp.
int scan(Options const& options, std::vector<std::string> const& args,
         std::ostream& out, std::ostream& err, bool out_is_terminal);

}

}
