#pragma once

#include "cli/options.hpp"

#include <iosfwd>

namespace byos::cli {

// Runs a parsed command line. Reports go to `out` (or the --output file),
// warnings and errors to `err` with a "byos-audit:" prefix. Returns the exit
// code. `out_is_terminal` turns on color for text reports.
int run(Options const& options, std::vector<std::string> const& args,
        std::ostream& out, std::ostream& err, bool out_is_terminal);

}
