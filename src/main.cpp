// byos-audit: audits Azure BYOS Speech resources and their storage accounts.

#include "cli/commands.hpp"

#include <exception>
#include <iostream>
#include <unistd.h>

int main(int argc, char** argv)
{
    using namespace byos::cli;
    std::vector<std::string> const args(argv + 1, argv + argc);

    // The one catch: an exception here is a bug, not a user's mistake.
    try {
        auto options = parse_options(args);
        if (!options) {
            std::cerr << "byos-audit: error: " << options.error().describe()
                      << "\n";
            return exit_usage;
        }
        return run(*options, args, std::cout, std::cerr,
                   ::isatty(STDOUT_FILENO) != 0);
    } catch (std::exception const& e) {
        std::cerr << "byos-audit: internal error: " << e.what() << "\n";
        return exit_internal;
    }
}
