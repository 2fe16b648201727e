#pragma once

// Runs the real byos-audit binary, as a user would, and captures what it
// printed. Each run has a time limit, so a hang fails the test instead of
// stalling the suite.

#include <string>
#include <vector>

namespace byos::test {

struct Run
{
    int exit_code = -1; // -1 when killed by a signal or the time limit
    std::string out;
    std::string err;
};

// `env` entries ("NAME=value") are added to a minimal environment.
Run run_tool(std::vector<std::string> const& args,
             std::vector<std::string> const& env = {},
             std::string const& cwd = {}, int timeout_seconds = 60);

// Runs byos-audit with its standard output on a pseudo-terminal, as in an
// interactive shell; returns what it printed there (stdout and stderr
// together).
Run run_tool_on_terminal(std::vector<std::string> const& args,
                         std::vector<std::string> const& env = {});

// A fresh empty folder under the system temporary folder.
std::string make_temp_dir();

void write_text(std::string const& path, std::string const& text);
std::string read_text(std::string const& path);

}
