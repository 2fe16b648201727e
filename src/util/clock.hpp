#pragma once

// The one clock byos-audit reads, for report times and for the day that
// suppression expiry dates are compared with.

#include <string>

namespace byos {

// The time now in UTC, formatted with strftime's `format`. With
// SOURCE_DATE_EPOCH set, its time instead, so that reports are
// reproducible byte for byte and tests can set the day.
std::string utc_now(char const* format);

}
