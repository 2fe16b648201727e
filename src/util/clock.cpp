#include "util/clock.hpp"

#include <cstdlib>
#include <ctime>

namespace byos {

std::string utc_now(char const* format)
{
    std::time_t t = std::time(nullptr);
    if (char const* epoch = std::getenv("SOURCE_DATE_EPOCH"))
        t = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, format, &tm);
    return buffer;
}

}
