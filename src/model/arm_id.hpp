#pragma once

// Azure Resource Manager resource IDs. ARM treats them as case-insensitive
// and writes `resourceGroups` in more than one case, so IDs are compared in
// their lower-case form (the "key") and split on segments, never on
// substrings.

#include <string>
#include <string_view>

namespace byos::model {

// The lower-case form used as a map key, without a trailing slash.
std::string id_key(std::string_view id);

// True when `scope` is `id` itself or one of its ancestors, comparing whole
// segments: "/subscriptions/a" is above "/subscriptions/a/resourceGroups/b"
// but not above "/subscriptions/ab". The root scope "/" is above everything.
bool is_scope_at_or_above(std::string_view scope, std::string_view id);

enum class ScopeLevel
{
    root,
    management_group,
    subscription,
    resource_group,
    resource,
};

ScopeLevel scope_level(std::string_view scope);
char const* to_string(ScopeLevel level);

// "/subscriptions/<id>/..." gives "<id>" in lower case; empty otherwise.
std::string subscription_of(std::string_view id);

// "/subscriptions/<id>/resourceGroups/<name>/..." gives "<name>" as
// written; empty when the ID names no resource group.
std::string_view resource_group_of(std::string_view id);

// The last segment of an ID ("/.../storageAccounts/name" gives "name").
std::string_view last_segment(std::string_view id);

// The resource type of an ID in lower case, from its last provider segment:
// ".../providers/Microsoft.Storage/storageAccounts/x/blobServices/default"
// gives "microsoft.storage/storageaccounts/blobservices".
std::string type_of(std::string_view id);

// Strips a trailing "/blobServices/default" (any case); empty when absent.
std::string parent_of_blob_service(std::string_view id);

}
