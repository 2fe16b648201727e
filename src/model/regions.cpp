#include "model/regions.hpp"

#include "util/strings.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace byos::model {

namespace {

using Row = std::pair<std::string_view, std::string_view>;

// Sorted by region name for binary search.
constexpr auto table = std::to_array<Row>({
    {"australiacentral", "Asia Pacific"},
    {"australiacentral2", "Asia Pacific"},
    {"australiaeast", "Asia Pacific"},
    {"australiasoutheast", "Asia Pacific"},
    {"austriaeast", "Europe"},
    {"belgiumcentral", "Europe"},
    {"brazilsouth", "South America"},
    {"brazilsoutheast", "South America"},
    {"canadacentral", "Canada"},
    {"canadaeast", "Canada"},
    {"centralindia", "Asia Pacific"},
    {"centralus", "US"},
    {"chilecentral", "South America"},
    {"denmarkeast", "Europe"},
    {"eastasia", "Asia Pacific"},
    {"eastus", "US"},
    {"eastus2", "US"},
    {"francecentral", "Europe"},
    {"francesouth", "Europe"},
    {"germanynorth", "Europe"},
    {"germanywestcentral", "Europe"},
    {"indonesiacentral", "Asia Pacific"},
    {"israelcentral", "Middle East"},
    {"italynorth", "Europe"},
    {"japaneast", "Asia Pacific"},
    {"japanwest", "Asia Pacific"},
    {"jioindiacentral", "Asia Pacific"},
    {"jioindiawest", "Asia Pacific"},
    {"koreacentral", "Asia Pacific"},
    {"koreasouth", "Asia Pacific"},
    {"malaysiawest", "Asia Pacific"},
    {"mexicocentral", "Mexico"},
    {"newzealandnorth", "Asia Pacific"},
    {"northcentralus", "US"},
    {"northeurope", "Europe"},
    {"norwayeast", "Europe"},
    {"norwaywest", "Europe"},
    {"polandcentral", "Europe"},
    {"qatarcentral", "Middle East"},
    {"southafricanorth", "Africa"},
    {"southafricawest", "Africa"},
    {"southcentralus", "US"},
    {"southeastasia", "Asia Pacific"},
    {"southindia", "Asia Pacific"},
    {"spaincentral", "Europe"},
    {"swedencentral", "Europe"},
    {"swedensouth", "Europe"},
    {"switzerlandnorth", "Europe"},
    {"switzerlandwest", "Europe"},
    {"uaecentral", "Middle East"},
    {"uaenorth", "Middle East"},
    {"uksouth", "Europe"},
    {"ukwest", "Europe"},
    {"westcentralus", "US"},
    {"westeurope", "Europe"},
    {"westindia", "Asia Pacific"},
    {"westus", "US"},
    {"westus2", "US"},
    {"westus3", "US"},
});

static_assert(std::is_sorted(table.begin(), table.end()));

}

std::optional<std::string> builtin_geography_group(std::string_view region)
{
    auto const key = normalize_region(region);
    auto const it = std::lower_bound(
        table.begin(), table.end(), key,
        [](Row const& row, std::string const& k) { return row.first < k; });
    if (it == table.end() || it->first != key)
        return std::nullopt;
    return std::string(it->second);
}

}
