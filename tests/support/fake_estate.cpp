#include "support/fake_estate.hpp"

#include "support/fixture.hpp"

#include <string>

namespace bj = boost::json;

namespace byos::test {

namespace {

std::string const subscription_path =
    std::string("/subscriptions/") + fake_subscription_id;

bj::object eastus()
{
    return {{"id", subscription_path + "/locations/eastus"},
            {"name", "eastus"},
            {"type", "Region"},
            {"displayName", "East US"},
            {"regionalDisplayName", "(US) East US"},
            {"metadata",
             {{"regionType", "Physical"},
              {"regionCategory", "Recommended"},
              {"geographyGroup", "US"},
              {"geography", "United States"},
              {"physicalLocation", "Virginia"},
              {"longitude", "-79.8164"},
              {"latitude", "37.3719"},
              {"pairedRegion",
               bj::array{bj::object{
                   {"name", "westus"},
                   {"id", subscription_path + "/locations/westus"}}}}}}};
}

// The built-in role as ARM returns it, under the subscription, the form
// the base pair's assignment names it by.
bj::object blob_data_contributor()
{
    auto const blobs = std::string(
        "Microsoft.Storage/storageAccounts/blobServices/containers");
    return {{"id", subscription_path +
                       "/providers/Microsoft.Authorization/roleDefinitions/" +
                       storage_blob_data_contributor},
            {"name", storage_blob_data_contributor},
            {"type", "Microsoft.Authorization/roleDefinitions"},
            {"properties",
             {{"roleName", "Storage Blob Data Contributor"},
              {"type", "BuiltInRole"},
              {"description", "Allows for read, write and delete access to "
                              "Azure Storage blob containers and data"},
              {"assignableScopes", bj::array{"/"}},
              {"permissions",
               bj::array{bj::object{
                   {"actions",
                    {blobs + "/delete", blobs + "/read", blobs + "/write",
                     "Microsoft.Storage/storageAccounts/blobServices/"
                     "generateUserDelegationKey/action"}},
                   {"notActions", bj::array{}},
                   {"dataActions",
                    {blobs + "/blobs/delete", blobs + "/blobs/read",
                     blobs + "/blobs/write", blobs + "/blobs/move/action",
                     blobs + "/blobs/add/action"}},
                   {"notDataActions", bj::array{}}}}}}}};
}

// The first object the fixture's collection holds, in a body or a page.
bj::object first_of(bj::object const& collections, char const* name)
{
    auto const& entry = collections.at(name).as_array().at(0).as_object();
    if (auto const* body = entry.if_contains("body"))
        return body->as_object();
    return entry.at("pages")
        .as_array()
        .at(0)
        .at("value")
        .as_array()
        .at(0)
        .as_object();
}

}

bj::object fake_estate(bj::array resources)
{
    return {
        {"tenantId", fake_tenant_id},
        {"credentials",
         {{"clientId", fake_client_id},
          {"clientSecret", fake_client_secret},
          {"federatedToken", fake_federated_token},
          {"identityHeader", fake_identity_header}}},
        {"pageSize", 100},
        {"subscriptions",
         bj::array{bj::object{{"id", subscription_path},
                              {"subscriptionId", fake_subscription_id},
                              {"tenantId", fake_tenant_id},
                              {"displayName", "Test Speech"},
                              {"state", "Enabled"}}}},
        {"locations", bj::object{{fake_subscription_id, bj::array{eastus()}}}},
        {"resources", std::move(resources)}};
}

bj::object byos_pair_estate()
{
    auto const snapshot =
        read_json(data_dir() + "/fixtures/base-pair.snapshot.json");
    auto const& collections = snapshot.at("collections").as_object();
    auto estate = fake_estate(
        bj::array{first_of(collections, "speechAccounts"),
                  first_of(collections, "storageAccounts"),
                  first_of(collections, "blobServices"),
                  first_of(collections, "roleAssignments"),
                  first_of(collections, "features"), blob_data_contributor()});
    estate["subscriptions"] = bj::array{first_of(collections, "subscriptions")};
    return estate;
}

}
