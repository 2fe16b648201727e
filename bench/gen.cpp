// byos-bench-gen: writes a synthetic snapshot (docs/snapshot-format.md) of
// N Speech account and storage account pairs for the scale benchmark.
//
//   byos-bench-gen PAIRS FILE
//
// The estate is spread over ten subscriptions. Speech accounts are listed
// per subscription in pages of 100; every storage account, blob service and
// role assignment listing is a request of its own, as `scan` would make
// them. About a third of the pairs carry one flaw each, picked from a fixed
// list, so the audit has findings of every kind to report; the rest are
// compliant. The output depends only on PAIRS.

#include <boost/json.hpp>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace bj = boost::json;

constexpr std::size_t subscription_count = 10;
constexpr std::size_t page_size = 100;
constexpr std::string_view arm = "https://management.azure.com";
constexpr std::string_view blob_contributor =
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
constexpr std::string_view reader_role = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

// ---- deterministic variety ----

// A well-mixed 64-bit value for `x` (the splitmix64 finalizer).
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::string hex(std::uint64_t value, int digits)
{
    static constexpr char digit[] = "0123456789abcdef";
    std::string out(static_cast<std::size_t>(digits), '0');
    for (int i = digits - 1; i >= 0; --i, value >>= 4)
        out[static_cast<std::size_t>(i)] = digit[value & 0xf];
    return out;
}

// A version 4 GUID that depends only on `seed` and `salt`.
std::string guid(std::uint64_t seed, std::uint64_t salt)
{
    auto const hi = mix(seed * 0x100000001b3ULL + salt);
    auto const lo = mix(hi ^ (salt << 32));
    return hex(hi >> 32, 8) + "-" + hex(hi >> 16, 4) + "-4" + hex(hi, 3) + "-" +
           hex(8 | (lo >> 62), 1) + hex(lo >> 48, 3) + "-" + hex(lo, 12);
}

// ---- the estate ----

struct Region
{
    std::string_view name;
    std::string_view display;
    std::string_view geography;
    std::string_view group;
    std::string_view latitude;
    std::string_view longitude;
    std::string_view place;
};

// Neighbours share a geography group: 0 and 1, 2 and 3, 4 and 5.
constexpr std::array<Region, 6> regions = {{
    {"eastus", "East US", "United States", "US", "37.3719", "-79.8164",
     "Virginia"},
    {"westus2", "West US 2", "United States", "US", "47.233", "-119.852",
     "Washington"},
    {"westeurope", "West Europe", "Europe", "Europe", "52.3667", "4.9",
     "Netherlands"},
    {"northeurope", "North Europe", "Europe", "Europe", "53.3478", "-6.2597",
     "Ireland"},
    {"southeastasia", "Southeast Asia", "Asia Pacific", "Asia Pacific", "1.283",
     "103.833", "Singapore"},
    {"japaneast", "Japan East", "Japan", "Asia Pacific", "35.68", "139.77",
     "Tokyo, Saitama"},
}};

constexpr std::array<std::string_view, 8> teams = {"contact", "voice", "media",
                                                   "support", "sales", "claims",
                                                   "triage",  "notes"};
constexpr std::array<std::string_view, 3> stages = {"prod", "test", "dev"};

// What is wrong with a pair. Each maps to one or a few rules.
enum class Flaw
{
    none,
    not_byos,            // BYOS001
    no_identity,         // BYOS002, BYOS004
    missing_storage,     // BYOS003
    reader_only,         // BYOS004
    role_above_account,  // BYOS005
    custom_role,         // BYOS006
    public_blob,         // BYOS007
    shared_key,          // BYOS008
    open_firewall,       // BYOS009
    no_instance_rule,    // BYOS010, BYOS011
    other_region,        // BYOS014 (BYOS016 in the tts scenario)
    other_geography,     // BYOS015
    cors_slash,          // BYOS017 (BYOS018 with --speech-studio)
    shared_storage,      // BYOS020
    weak_transport,      // BYOS030, BYOS031
    no_cmk_local_auth,   // BYOS032, BYOS033, BYOS034
    role_listing_denied, // role rules not evaluated
};
constexpr std::size_t flaw_count = 17; // the flaws after none

struct Pair
{
    std::size_t index = 0;
    Flaw flaw = Flaw::none;
    std::size_t subscription = 0;
    std::string speech;     // Speech account name
    std::string group;      // resource group of both accounts
    std::size_t region = 0; // index into regions
    std::size_t storage_region = 0;
    std::string principal;         // the Speech system identity
    std::size_t storage_owner = 0; // pair whose storage account it names
};

std::string subscription_id(std::size_t s)
{
    return guid(s, 11);
}

// Subscription 9 belongs to a second tenant.
std::string tenant_of(std::size_t s)
{
    return guid(s == 9 ? 2 : 1, 12);
}

// The team and stage of pair `i` name its resource group and accounts.
std::string team_of(std::size_t i)
{
    return std::string(teams[mix(i * 7 + 1) % teams.size()]);
}

std::string stage_of(std::size_t i)
{
    return std::string(stages[(mix(i * 7 + 1) >> 8) % stages.size()]);
}

std::string group_name(std::size_t i)
{
    return "rg-" + team_of(i) + "-" + stage_of(i);
}

// "stbyos000042cont": within the 24 characters storage names allow.
std::string storage_name(std::size_t i)
{
    auto digits = std::to_string(i);
    if (digits.size() < 6)
        digits.insert(0, 6 - digits.size(), '0');
    return "stbyos" + digits + team_of(i).substr(0, 4);
}

Flaw flaw_of(std::size_t i)
{
    auto const h = mix(i * 7 + 3);
    if (h % 3 != 0)
        return Flaw::none;
    return static_cast<Flaw>(1 + (h >> 8) % flaw_count);
}

Pair pair_at(std::size_t i)
{
    Pair p;
    p.index = i;
    p.flaw = flaw_of(i);
    p.subscription = i % subscription_count;
    p.group = group_name(i);
    p.speech =
        "spx-" + team_of(i) + "-" + stage_of(i) + "-" + std::to_string(i);
    p.region = (i / 7) % regions.size();
    p.storage_region = p.region;
    if (p.flaw == Flaw::other_region)
        p.storage_region = p.region ^ 1;
    if (p.flaw == Flaw::other_geography)
        p.storage_region = (p.region + 2) % regions.size();
    p.principal = guid(i, 21);
    // A shared storage account is that of the pair ten places back, which
    // is in the same subscription.
    p.storage_owner = p.flaw == Flaw::shared_storage && i >= subscription_count
                          ? i - subscription_count
                          : i;
    return p;
}

// Whether a scan would have fetched the storage side of the pair at all.
bool has_storage(Pair const& p)
{
    return p.flaw != Flaw::not_byos;
}

std::string subscription_scope(std::size_t s)
{
    return "/subscriptions/" + subscription_id(s);
}

std::string group_scope(std::size_t i)
{
    return subscription_scope(i % subscription_count) + "/resourceGroups/" +
           group_name(i);
}

std::string storage_id(std::size_t i)
{
    return group_scope(i) + "/providers/Microsoft.Storage/storageAccounts/" +
           storage_name(i);
}

std::string speech_id(Pair const& p)
{
    return group_scope(p.index) +
           "/providers/Microsoft.CognitiveServices/accounts/" + p.speech;
}

std::string role_definition_id(std::size_t s, std::string_view role)
{
    return subscription_scope(s) +
           "/providers/Microsoft.Authorization/roleDefinitions/" +
           std::string(role);
}

// The custom role each subscription defines.
std::string custom_role(std::size_t s)
{
    return guid(s, 31);
}

// ---- one entry of a collection ----

// The head of an entry; with_body, with_pages or with_error completes it.
bj::object entry(std::string const& scope, std::string request, int status,
                 std::string const& principal = {})
{
    bj::object e;
    if (!scope.empty())
        e["scope"] = scope;
    if (!principal.empty())
        e["principalId"] = principal;
    e["request"] = std::move(request);
    e["status"] = status;
    return e;
}

bj::object with_body(bj::object e, bj::value body)
{
    e["body"] = std::move(body);
    return e;
}

bj::object with_pages(bj::object e, bj::array pages)
{
    e["pages"] = std::move(pages);
    return e;
}

bj::object with_error(bj::object e, std::string_view code, std::string message)
{
    e["error"] = {{"code", code}, {"message", std::move(message)}};
    return e;
}

// ---- Speech accounts ----

bj::object speech_properties(Pair const& p)
{
    bj::object props{
        {"endpoint", "https://" + p.speech + ".cognitiveservices.azure.com/"},
        {"customSubDomainName", p.speech},
        {"publicNetworkAccess", "Enabled"},
        {"provisioningState", "Succeeded"},
    };
    if (p.flaw != Flaw::not_byos)
        props["userOwnedStorage"] = {
            {{"resourceId", storage_id(p.storage_owner)}}};
    props["disableLocalAuth"] = p.flaw != Flaw::no_cmk_local_auth;
    return props;
}

bj::object speech_identity(Pair const& p)
{
    if (p.flaw == Flaw::no_identity)
        return {{"type", "None"}};
    return {{"principalId", p.principal},
            {"tenantId", tenant_of(p.subscription)},
            {"type", "SystemAssigned"}};
}

bj::object speech_account(Pair const& p)
{
    return {
        {"id", speech_id(p)},
        {"name", p.speech},
        {"type", "Microsoft.CognitiveServices/accounts"},
        {"location", regions[p.region].name},
        {"sku", {{"name", "S0"}}},
        {"kind", "SpeechServices"},
        {"tags",
         {{"costCenter", "CC-" + std::to_string(4400 + p.index % 90)},
          {"env", stage_of(p.index)}}},
        {"identity", speech_identity(p)},
        {"properties", speech_properties(p)},
    };
}

std::string speech_request(std::size_t s)
{
    return subscription_scope(s) +
           "/providers/Microsoft.CognitiveServices/accounts"
           "?api-version=2024-10-01";
}

// ---- storage accounts ----

bj::object network_acls(Pair const& p, std::vector<Pair> const& users)
{
    bj::array rules;
    if (p.flaw != Flaw::no_instance_rule)
        for (auto const& user : users)
            rules.push_back({{"tenantId", tenant_of(user.subscription)},
                             {"resourceId", speech_id(user)}});
    bj::array ip_rules;
    if (p.flaw == Flaw::no_instance_rule)
        ip_rules.push_back(
            {{"value", "203.0.113." + std::to_string(p.index % 250)},
             {"action", "Allow"}});
    return {
        {"resourceAccessRules", std::move(rules)},
        {"bypass", "None"},
        {"virtualNetworkRules", bj::array()},
        {"ipRules", std::move(ip_rules)},
        {"defaultAction", p.flaw == Flaw::open_firewall ? "Allow" : "Deny"},
    };
}

bj::object storage_encryption(Pair const& p)
{
    bj::object services{{"blob", {{"keyType", "Account"}, {"enabled", true}}}};
    if (p.flaw == Flaw::no_cmk_local_auth)
        return {{"services", std::move(services)},
                {"keySource", "Microsoft.Storage"}};
    return {
        {"keyvaultproperties",
         {{"keyvaulturi",
           "https://kv-byos-" + std::to_string(p.index) + ".vault.azure.net/"},
          {"keyname", "byos-blob-cmk"}}},
        {"services", std::move(services)},
        {"keySource", "Microsoft.Keyvault"},
    };
}

bj::object storage_properties(Pair const& p, std::vector<Pair> const& users)
{
    bool const weak = p.flaw == Flaw::weak_transport;
    return {
        {"publicNetworkAccess", "Enabled"},
        {"minimumTlsVersion", weak ? "TLS1_0" : "TLS1_2"},
        {"allowBlobPublicAccess", p.flaw == Flaw::public_blob},
        {"allowSharedKeyAccess", p.flaw == Flaw::shared_key},
        {"networkAcls", network_acls(p, users)},
        {"supportsHttpsTrafficOnly", !weak},
        {"encryption", storage_encryption(p)},
        {"routingPreference", {{"routingChoice", "MicrosoftRouting"}}},
        {"provisioningState", "Succeeded"},
        {"primaryLocation", regions[p.storage_region].name},
    };
}

// The storage account of pair `p`; its firewall admits the Speech accounts
// in `users`.
bj::object storage_account(Pair const& p, std::vector<Pair> const& users)
{
    return {
        {"sku", {{"name", "Standard_ZRS"}}},
        {"kind", "StorageV2"},
        {"id", storage_id(p.index)},
        {"name", storage_name(p.index)},
        {"type", "Microsoft.Storage/storageAccounts"},
        {"location", regions[p.storage_region].name},
        {"properties", storage_properties(p, users)},
    };
}

bj::object storage_entry(Pair const& p, std::vector<Pair> const& users)
{
    auto const scope = storage_id(p.index);
    auto request = scope + "?api-version=2023-05-01";
    if (p.flaw == Flaw::missing_storage)
        return with_error(
            entry(scope, std::move(request), 404), "ResourceNotFound",
            "The Resource 'Microsoft.Storage/storageAccounts/" +
                storage_name(p.index) + "' under resource group '" + p.group +
                "' was not found. For more details please go "
                "to https://aka.ms/ARMResourceNotFoundFix");
    return with_body(entry(scope, std::move(request), 200),
                     storage_account(p, users));
}

// ---- blob services ----

bj::object cors_rule(Pair const& p)
{
    auto origin = std::string("https://speech.microsoft.com");
    if (p.flaw == Flaw::cors_slash)
        origin += "/";
    return {
        {"allowedOrigins", {origin}},
        {"allowedMethods", {"GET", "OPTIONS"}},
        {"maxAgeInSeconds", 1000},
        {"allowedHeaders", {"*"}},
    };
}

bj::object blob_service(Pair const& p)
{
    bool const soft_delete = p.flaw != Flaw::no_cmk_local_auth;
    return {
        {"id", storage_id(p.index) + "/blobServices/default"},
        {"name", "default"},
        {"type", "Microsoft.Storage/storageAccounts/blobServices"},
        {"properties",
         {{"cors", {{"corsRules", {cors_rule(p)}}}},
          {"deleteRetentionPolicy", {{"enabled", soft_delete}, {"days", 14}}}}},
    };
}

bj::object blob_entry(Pair const& p)
{
    auto const scope = storage_id(p.index);
    auto request = scope + "/blobServices/default?api-version=2023-05-01";
    return with_body(entry(scope, std::move(request), 200), blob_service(p));
}

// ---- role assignments ----

bj::object assignment(Pair const& p, std::string const& principal,
                      std::string const& role, std::string const& scope,
                      std::uint64_t salt)
{
    auto const name = guid(p.index, salt);
    return {
        {"properties",
         {{"roleDefinitionId", role},
          {"principalId", principal},
          {"principalType", "ServicePrincipal"},
          {"scope", scope},
          {"condition", nullptr}}},
        {"id",
         scope + "/providers/Microsoft.Authorization/roleAssignments/" + name},
        {"type", "Microsoft.Authorization/roleAssignments"},
        {"name", name},
    };
}

// What the listing for the Speech identity of `p` returns: one or two
// assignments, depending on the flaw.
bj::array assignments_of(Pair const& p, std::string const& storage)
{
    auto const& principal = p.principal;
    auto const s = p.subscription;
    auto const contributor = role_definition_id(s, blob_contributor);
    auto const reader = role_definition_id(s, reader_role);
    auto const group = group_scope(p.index);
    bj::array list;
    switch (p.flaw) {
    case Flaw::reader_only:
        list.push_back(assignment(p, principal, reader, storage, 51));
        break;
    case Flaw::role_above_account:
        list.push_back(assignment(p, principal, contributor, group, 52));
        break;
    case Flaw::custom_role:
        list.push_back(assignment(
            p, principal, role_definition_id(s, custom_role(s)), storage, 53));
        list.push_back(assignment(p, principal, contributor, storage, 54));
        break;
    default:
        list.push_back(assignment(p, principal, contributor, storage, 55));
        // One identity in four also reads its resource group.
        if (mix(p.index * 7 + 5) % 4 == 0)
            list.push_back(assignment(p, principal, reader, group, 56));
    }
    return list;
}

bj::object role_entry(Pair const& p)
{
    auto const storage = storage_id(p.storage_owner);
    auto request = storage +
                   "/providers/Microsoft.Authorization/roleAssignments"
                   "?api-version=2022-04-01";

    // Without an identity there is nothing to filter on: the listing holds
    // everyone's assignments at the account, here one operator's.
    if (p.flaw == Flaw::no_identity) {
        auto const operator_id = guid(p.index, 23);
        auto const contributor = role_definition_id(
            p.subscription, "17d1049b-9a84-46fb-8f53-869881c3d3ab");
        return with_pages(
            entry(storage, std::move(request), 200),
            {{{"value",
               {assignment(p, operator_id, contributor, storage, 57)}}}});
    }

    request += "&$filter=principalId%20eq%20'" + p.principal + "'";
    if (p.flaw == Flaw::role_listing_denied)
        return with_error(
            entry(storage, std::move(request), 403, p.principal),
            "AuthorizationFailed",
            "The client 'auditor@contoso.com' with object id '" + guid(0, 24) +
                "' does not have authorization to perform "
                "action 'Microsoft.Authorization/roleAssignments/read' "
                "over scope '" +
                storage +
                "' or the scope is invalid. If "
                "access was recently granted, please refresh your "
                "credentials.");
    return with_pages(entry(storage, std::move(request), 200, p.principal),
                      {{{"value", assignments_of(p, storage)}}});
}

// ---- subscription-wide collections ----

struct Role
{
    std::string guid;
    std::string_view name;
    std::string_view type;
    std::string_view description;
    bool blob_data = false; // whether it reads and writes blobs
};

bj::array blob_data_actions()
{
    bj::array actions;
    for (auto action : {"delete", "read", "write", "move/action", "add/action"})
        actions.emplace_back(
            "Microsoft.Storage/storageAccounts/blobServices/containers/"
            "blobs/" +
            std::string(action));
    return actions;
}

bj::object role_definition(std::size_t s, Role const& role)
{
    auto const id = role_definition_id(s, role.guid);
    bj::array scopes{"/"};
    if (role.type == "CustomRole")
        scopes = {subscription_scope(s)};
    bj::array actions{"*/read"};
    if (role.blob_data)
        actions = {"Microsoft.Storage/storageAccounts/blobServices/"
                   "containers/read"};
    bj::object body{
        {"properties",
         {{"roleName", role.name},
          {"type", role.type},
          {"description", role.description},
          {"assignableScopes", std::move(scopes)},
          {"permissions",
           {{{"actions", std::move(actions)},
             {"notActions", bj::array()},
             {"dataActions",
              role.blob_data ? blob_data_actions() : bj::array()},
             {"notDataActions", bj::array()}}}},
          {"createdOn", "2026-01-01T00:00:00.0000000Z"},
          {"updatedOn", "2026-01-01T00:00:00.0000000Z"},
          {"createdBy", nullptr},
          {"updatedBy", nullptr}}},
        {"id", id},
        {"type", "Microsoft.Authorization/roleDefinitions"},
        {"name", role.guid},
    };
    return with_body(entry(id, id + "?api-version=2022-04-01", 200),
                     std::move(body));
}

bj::object subscription(std::size_t s)
{
    return {
        {"id", subscription_scope(s)},
        {"authorizationSource", "RoleBased"},
        {"managedByTenants", bj::array()},
        {"subscriptionId", subscription_id(s)},
        {"tenantId", tenant_of(s)},
        {"displayName", "Contoso Speech " + std::to_string(s + 1)},
        {"state", "Enabled"},
        {"subscriptionPolicies",
         {{"locationPlacementId", "Public_2014-09-01"},
          {"quotaId", "EnterpriseAgreement_2014-09-01"},
          {"spendingLimit", "Off"}}},
    };
}

bj::object location(std::size_t s, Region const& r)
{
    auto const id = subscription_scope(s) + "/locations/" + std::string(r.name);
    return {
        {"id", id},
        {"name", r.name},
        {"type", "Region"},
        {"displayName", r.display},
        {"regionalDisplayName",
         "(" + std::string(r.group) + ") " + std::string(r.display)},
        {"metadata",
         {{"regionType", "Physical"},
          {"regionCategory", "Recommended"},
          {"geography", r.geography},
          {"geographyGroup", r.group},
          {"longitude", r.longitude},
          {"latitude", r.latitude},
          {"physicalLocation", r.place}}},
    };
}

// Subscription 7 never registered byoxPreview; the others did.
bj::object feature_entry(std::size_t s)
{
    auto const id = subscription_scope(s) +
                    "/providers/Microsoft.Features/providers/"
                    "Microsoft.CognitiveServices/features/byoxPreview";
    return with_body(
        entry(subscription_scope(s), id + "?api-version=2021-07-01", 200),
        bj::object{{"properties",
                    {{"state", s == 7 ? "NotRegistered" : "Registered"}}},
                   {"id", id},
                   {"type", "Microsoft.Features/providers/features"},
                   {"name", "Microsoft.CognitiveServices/byoxPreview"}});
}

// ---- output ----

// Writes JSON the way ARM and az print it: two spaces per level, one
// member or element per line, empty containers as [] and {}.
class Writer
{
public:
    explicit Writer(std::FILE* file) : file_(file) {}

    void raw(std::string_view text)
    {
        out_ += text;
        if (out_.size() > (1u << 20))
            flush();
    }

    void value(bj::value const& v, int depth)
    {
        if (auto const* o = v.if_object())
            object(*o, depth);
        else if (auto const* a = v.if_array())
            array(*a, depth);
        else
            raw(bj::serialize(v));
    }

    void indent(int depth)
    {
        out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    }

    // A failed write shows in std::ferror of the file.
    void flush()
    {
        std::fwrite(out_.data(), 1, out_.size(), file_);
        out_.clear();
    }

private:
    void object(bj::object const& o, int depth)
    {
        if (o.empty())
            return raw("{}");
        raw("{\n");
        bool first = true;
        for (auto const& [key, v] : o) {
            raw(first ? "" : ",\n");
            first = false;
            indent(depth + 1);
            raw(bj::serialize(key));
            raw(": ");
            value(v, depth + 1);
        }
        raw("\n");
        indent(depth);
        raw("}");
    }

    void array(bj::array const& a, int depth)
    {
        if (a.empty())
            return raw("[]");
        raw("[\n");
        for (std::size_t i = 0; i < a.size(); ++i) {
            raw(i ? ",\n" : "");
            indent(depth + 1);
            value(a[i], depth + 1);
        }
        raw("\n");
        indent(depth);
        raw("]");
    }

    std::FILE* file_;
    std::string out_;
};

// Writes one collection of the snapshot: `make(i)` for i in [0, count)
// gives an entry, or null to leave one out.
template <class Make>
void collection(Writer& w, std::string_view name, std::size_t count, Make make,
                bool last = false)
{
    w.raw("    \"" + std::string(name) + "\": [");
    bool first = true;
    for (std::size_t i = 0; i < count; ++i) {
        bj::value e = make(i);
        if (e.is_null())
            continue;
        w.raw(first ? "\n" : ",\n");
        first = false;
        w.indent(3);
        w.value(e, 3);
    }
    w.raw(first ? "]" : "\n    ]");
    w.raw(last ? "\n" : ",\n");
}

void header(Writer& w)
{
    w.raw("{\n"
          "  \"snapshotFormat\": \"byos-audit/1\",\n"
          "  \"tool\": {\n"
          "    \"name\": \"byos-audit\",\n"
          "    \"version\": \"0.1.0\"\n"
          "  },\n"
          "  \"collectedAt\": \"2026-12-01T08:00:00Z\",\n"
          "  \"cloud\": \"AzureCloud\",\n"
          "  \"scope\": {\n"
          "    \"subscriptions\": [\n");
    for (std::size_t s = 0; s < subscription_count; ++s)
        w.raw("      \"" + subscription_id(s) + "\"" +
              (s + 1 < subscription_count ? ",\n" : "\n"));
    w.raw("    ]\n"
          "  },\n"
          "  \"collections\": {\n");
}

// One listing per subscription; pages hold 100 accounts and link on.
bj::value speech_listing(std::size_t s, std::size_t pairs)
{
    bj::array pages;
    bj::array page;
    for (std::size_t i = s; i < pairs; i += subscription_count) {
        page.push_back(speech_account(pair_at(i)));
        bool const more = i + subscription_count < pairs;
        if (page.size() < page_size && more)
            continue;
        bj::object body{{"value", std::move(page)}};
        if (more)
            body["nextLink"] = std::string(arm) + speech_request(s) +
                               "&%24skiptoken=" + hex(mix(i), 16);
        pages.push_back(std::move(body));
        page = bj::array();
    }
    if (pages.empty())
        pages.push_back(bj::object{{"value", bj::array()}});
    return with_pages(entry(subscription_scope(s), speech_request(s), 200),
                      std::move(pages));
}

bj::value subscriptions_listing()
{
    bj::array subs;
    for (std::size_t s = 0; s < subscription_count; ++s)
        subs.push_back(subscription(s));
    return with_pages(entry("", "/subscriptions?api-version=2022-12-01", 200),
                      {{{"value", std::move(subs)}}});
}

bj::value locations_listing(std::size_t s)
{
    bj::array list;
    for (auto const& r : regions)
        list.push_back(location(s, r));
    auto const scope = subscription_scope(s);
    return with_pages(
        entry(scope, scope + "/locations?api-version=2022-12-01", 200),
        {{{"value", std::move(list)}}});
}

// Three definitions per subscription: two built-in roles and its custom
// role.
bj::value role_definition_at(std::size_t k)
{
    auto const s = k / 3;
    switch (k % 3) {
    case 0:
        return role_definition(
            s, {std::string(blob_contributor), "Storage Blob Data Contributor",
                "BuiltInRole",
                "Allows for read, write and delete access to Azure Storage "
                "blob containers and data",
                true});
    case 1:
        return role_definition(s, {std::string(reader_role), "Reader",
                                   "BuiltInRole",
                                   "View all resources, but does not allow "
                                   "you to make any changes.",
                                   false});
    default:
        return role_definition(s, {custom_role(s), "BYOS Blob Writer",
                                   "CustomRole",
                                   "Reads and writes the blobs of the BYOS "
                                   "containers",
                                   true});
    }
}

// The pairs whose Speech accounts name the storage account of pair `i`:
// itself, and the pair ten places on when that one shares it.
std::vector<Pair> storage_users(std::size_t i, std::size_t pairs)
{
    std::vector<Pair> users{pair_at(i)};
    if (i + subscription_count < pairs) {
        auto p = pair_at(i + subscription_count);
        if (p.storage_owner == i)
            users.push_back(std::move(p));
    }
    return users;
}

void write_snapshot(Writer& w, std::size_t pairs)
{
    auto const none = bj::value();
    header(w);
    collection(w, "subscriptions", 1,
               [&](std::size_t) { return subscriptions_listing(); });
    collection(w, "locations", subscription_count, locations_listing);
    collection(w, "features", subscription_count,
               [&](std::size_t s) { return bj::value(feature_entry(s)); });
    collection(w, "speechAccounts", subscription_count,
               [&](std::size_t s) { return speech_listing(s, pairs); });
    collection(w, "storageAccounts", pairs, [&](std::size_t i) {
        auto const p = pair_at(i);
        return has_storage(p)
                   ? bj::value(storage_entry(p, storage_users(i, pairs)))
                   : none;
    });
    collection(w, "blobServices", pairs, [&](std::size_t i) {
        auto const p = pair_at(i);
        return has_storage(p) && p.flaw != Flaw::missing_storage
                   ? bj::value(blob_entry(p))
                   : none;
    });
    collection(w, "roleAssignments", pairs, [&](std::size_t i) {
        auto const p = pair_at(i);
        return has_storage(p) && p.flaw != Flaw::missing_storage
                   ? bj::value(role_entry(p))
                   : none;
    });
    collection(w, "roleDefinitions", subscription_count * 3, role_definition_at,
               true);
    w.raw("  }\n}\n");
}

}

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: byos-bench-gen PAIRS FILE\n");
        return 2;
    }
    char* end = nullptr;
    auto const pairs = std::strtoull(argv[1], &end, 10);
    if (*end != '\0' || pairs == 0) {
        std::fprintf(stderr,
                     "byos-bench-gen: PAIRS must be a positive "
                     "number, not '%s'\n",
                     argv[1]);
        return 2;
    }

    std::FILE* file = std::fopen(argv[2], "wb");
    if (!file) {
        std::fprintf(stderr, "byos-bench-gen: %s: %s\n", argv[2],
                     std::strerror(errno));
        return 1;
    }
    Writer w(file);
    write_snapshot(w, pairs);
    w.flush();
    bool const failed = std::ferror(file) != 0;
    if (std::fclose(file) != 0 || failed) {
        std::fprintf(stderr, "byos-bench-gen: %s: %s\n", argv[2],
                     std::strerror(errno));
        return 1;
    }
    return 0;
}
