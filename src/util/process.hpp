#pragma once

// Runs another program and collects what it prints, for the one place the
// scanner needs that: asking the Azure CLI for a token.

#include "util/error.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace byos {

struct ProcessOutput
{
    int exit_code = -1; // -1 when killed (by the time limit or a signal)
    std::string out;
    std::string err;
};

// Runs `args[0]`, looked up in PATH, with the other arguments, no shell,
// standard input closed, and kills it when it runs past `limit`. An Error
// when it cannot be started; `max_output` bytes of each stream are kept.
Result<ProcessOutput> run_process(std::vector<std::string> const& args,
                                  std::chrono::milliseconds limit,
                                  std::size_t max_output = 1u << 20);

// The full path of `name` found in PATH, or empty.
std::string find_in_path(std::string const& name);

}
