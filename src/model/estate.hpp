#pragma once

// The estate: everything the inputs said about Speech accounts, storage
// accounts and what surrounds them, merged from any number of files and
// indexed for the joins the engine makes. Besides the data it records what
// was looked for and could not be read (the gaps), so that the engine can
// tell "there is none" from "nobody could look".

#include "util/strings.hpp"
#include "json/source_index.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>

#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace byos::model {

// Where a piece of the estate came from.
struct Source
{
    static constexpr std::uint32_t no_file = 0xFFFFFFFF;
    std::uint32_t file = no_file; // index into Estate::files
    json::Position at;            // where its JSON begins; may be unknown
};

// An ARM resource, in ARM's REST shape, held by the estate's documents.
struct Resource
{
    boost::json::value const* value = nullptr; // the resource's JSON
    boost::json::object const* json = nullptr; // the same, as an object
    std::string id;                            // as written
    std::string key;                           // id_key(id)
    Source source;

    std::string_view name() const;
    std::string_view location() const;
};

// One entry of a Speech account's userOwnedStorage: the storage account
// and, when set, the client ID of the user-assigned identity that reaches
// it (the system-assigned identity does otherwise).
struct OwnedStorage
{
    std::string resource_id; // as written
    std::string identity_client_id;
};

// Reads the array form of the spec and the single object with
// `storageResourceId` that some documents show; empty for non-BYOS.
std::vector<OwnedStorage> user_owned_storage(Resource const& speech);

// The lower-case principal ID of the Speech account's system-assigned
// identity; empty without one.
std::string system_principal(Resource const& speech);

// The principal that reaches the storage account: the user-assigned
// identity that the entry names by client ID, else the system one; empty
// when there is none.
std::string storage_principal(Resource const& speech,
                              std::string const& identity_client_id);

// Something the audit needed and could not read.
struct Gap
{
    std::string what;    // "storage account", "role assignments"...
    std::string scope;   // the ARM ID it was about
    int status = 0;      // HTTP status; 0 when none
    std::string code;    // ARM error code
    std::string message; // ARM error message
    Source source;

    // "role assignments of /subscriptions/... could not be read
    // (403 AuthorizationFailed: ...)"
    std::string describe() const;
};

struct RoleAssignment
{
    std::string principal_key; // lower case
    std::string role_guid;     // lower case GUID of the role definition
    std::string scope;         // as written
    std::string origin_scope;  // key of the snapshot entry scope, if any
    bool has_condition = false;
};

struct RoleDefinition
{
    std::string name; // roleName, for display only
    std::string type; // "BuiltInRole" or "CustomRole"
};

// The filter a role assignment listing was made with: all assignments that
// reach its scope (and, when set, only those of `principal_key`).
struct RoleListing
{
    std::string principal_key; // empty: every principal
    std::optional<Gap> gap;    // set when the listing failed
};

enum class Presence
{
    present,
    not_found,
    unknown,
};

class Estate
{
public:
    // Input files, in the order given; Source::file indexes this.
    std::vector<std::string> files;

    // One arena per input file, declared before the documents so that it
    // outlives them: an arena-held document is dropped without a walk.
    std::deque<boost::json::monotonic_resource> arenas;

    // The parsed documents and normalised copies the resources point into.
    std::deque<boost::json::value> documents;

    // Successful Speech account listings: with none and no account, the
    // input held nothing to audit.
    std::size_t speech_listings = 0;

    // SpeechServices accounts, in input order.
    std::deque<Resource> speech_accounts;
    std::unordered_map<std::string, Resource*> speech_by_key;

    std::deque<Resource> storage_accounts;
    std::unordered_map<std::string, Resource*> storage_by_key;
    std::unordered_map<std::string, Gap> storage_gaps;
    std::unordered_set<std::string> storage_not_found;
    std::unordered_set<std::string> storage_listed_subscriptions;

    // Blob service properties, by the key of their storage account.
    std::deque<Resource> blob_services;
    std::unordered_map<std::string, Resource*> blob_by_storage;
    std::unordered_map<std::string, Gap> blob_gaps;

    std::vector<RoleAssignment> role_assignments;
    std::unordered_map<std::string, std::vector<std::size_t>>
        assignments_by_principal;
    // Role assignment listings by the key of their scope; an account is
    // covered by the listings at it or above it.
    std::unordered_map<std::string, std::deque<RoleListing>, StringHash,
                       std::equal_to<>>
        role_listings;
    bool role_assignments_given = false; // loose input named the kind

    std::unordered_map<std::string, RoleDefinition> role_definitions;
    std::unordered_map<std::string, Gap> role_definition_gaps;

    std::unordered_map<std::string, std::string> subscription_tenants;
    std::unordered_map<std::string, std::string> subscription_names;

    std::unordered_map<std::string, std::string> feature_states;
    std::unordered_map<std::string, Gap> feature_gaps;

    std::unordered_map<std::string, std::string> region_geographies;

    // Collection failures not tied to one pair, such as a Speech account
    // listing that was refused: they make the audit incomplete.
    std::deque<Gap> scope_gaps;

    // How many Speech accounts name each storage account, by storage key.
    std::unordered_map<std::string, std::vector<Resource const*>>
        speech_by_storage;

    // --- queries the engine makes ---

    Presence storage_presence(std::string const& key, Gap const** why) const;
    Resource const* blob_service_of(std::string const& storage_key,
                                    Gap const** why) const;

    // Whether the assignments of `principal_key` that reach the storage
    // account `storage_key` were collected; when not, the reason.
    std::optional<Gap>
    role_assignment_gap(std::string const& storage_key,
                        std::string const& principal_key) const;

    std::optional<std::string> geography_of(std::string const& region) const;
};

}
