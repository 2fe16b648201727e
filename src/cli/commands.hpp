#pragma once

#include "cli/options.hpp"
#include "engine/catalog.hpp"
#include "model/estate.hpp"

#include <iosfwd>

namespace byos::cli {

// Runs a parsed command line. Reports go to `out` (or the --output file),
// warnings and errors to `err` with a "byos-audit:" prefix. Returns the exit
// code. `out_is_terminal` turns on color for text reports.
int run(Options const& options, std::vector<std::string> const& args,
        std::ostream& out, std::ostream& err, bool out_is_terminal);

namespace detail {

// The parts `check` and `scan` share.
std::string now_utc();
Result<engine::Catalog> load_catalog(Options const& options);
void print_error(std::ostream& err, Error const& error);

// Audits the loaded estate, writes the reports and returns the exit code.
int audit_and_report(Options const& options,
                     std::vector<std::string> const& args,
                     engine::Catalog const& catalog, model::Estate& estate,
                     std::vector<std::string> warnings,
                     std::string const& started, std::ostream& out,
                     std::ostream& err, bool out_is_terminal);

// `scan`, in scan_command.cpp.
int scan(Options const& options, std::vector<std::string> const& args,
         std::ostream& out, std::ostream& err, bool out_is_terminal);

}

}
