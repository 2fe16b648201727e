#pragma once

// `az` prints some resources in the flattened shape of its SDK models
// (`az storage account show` has `networkRuleSet` and
// `enableHttpsTrafficOnly` at the top level, where ARM has
// `properties.networkAcls` and `properties.supportsHttpsTrafficOnly`).
// Rules are written against ARM's REST shape only; these functions turn the
// flattened forms into it.

#include <boost/json/value.hpp>

#include <optional>

namespace byos::input {

// An ARM-shaped copy of a flattened storage account, or nothing when
// `account` already has ARM's shape.
std::optional<boost::json::value>
normalize_storage_account(boost::json::object const& account);

// The same for blob service properties (`az storage account
// blob-service-properties show`).
std::optional<boost::json::value>
normalize_blob_service(boost::json::object const& service);

}
