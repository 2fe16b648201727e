#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace byos::model {

// The `geographyGroup` ARM reports for a public-cloud region, from a table
// built into the tool, for input that carries no `/locations` metadata.
// The table lists the regions known when this version was made; a newer
// region is unknown here, and rules that need its geography are reported as
// not evaluated rather than guessed.
std::optional<std::string> builtin_geography_group(std::string_view region);

}
