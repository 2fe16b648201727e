// ARM resource IDs: case-insensitive, compared by whole segments.

#include "model/arm_id.hpp"

#include <boost/test/unit_test.hpp>

using namespace byos::model;

BOOST_AUTO_TEST_SUITE(model)

BOOST_AUTO_TEST_CASE(scopes_compare_by_segment_ignoring_case)
{
    auto const account = "/subscriptions/S1/resourceGroups/RG/providers/"
                         "Microsoft.Storage/storageAccounts/st";
    BOOST_TEST(is_scope_at_or_above("/subscriptions/s1", account));
    BOOST_TEST(
        is_scope_at_or_above("/subscriptions/s1/resourcegroups/rg", account));
    BOOST_TEST(is_scope_at_or_above(account, account));
    BOOST_TEST(is_scope_at_or_above("/", account));
    BOOST_TEST(!is_scope_at_or_above("/subscriptions/s", account));
    BOOST_TEST(!is_scope_at_or_above(
        std::string(account) + "/blobServices/default/containers/c", account));
}

BOOST_AUTO_TEST_CASE(scope_levels)
{
    BOOST_TEST(to_string(scope_level("/")) == std::string("root"));
    BOOST_TEST(to_string(scope_level(
                   "/providers/Microsoft.Management/managementGroups/mg")) ==
               std::string("managementGroup"));
    BOOST_TEST(to_string(scope_level("/subscriptions/s")) ==
               std::string("subscription"));
    BOOST_TEST(to_string(scope_level("/subscriptions/s/resourcegroups/r")) ==
               std::string("resourceGroup"));
    BOOST_TEST(
        to_string(scope_level("/subscriptions/s/resourceGroups/r/providers/"
                              "Microsoft.Storage/storageAccounts/st")) ==
        std::string("resource"));
}

BOOST_AUTO_TEST_CASE(parts_of_an_id)
{
    auto const blob = "/subscriptions/S1/resourceGroups/RG/providers/"
                      "Microsoft.Storage/storageAccounts/St/blobServices/"
                      "default/";
    BOOST_TEST(id_key(blob).back() == 't');
    BOOST_TEST(subscription_of(blob) == "s1");
    BOOST_TEST(type_of(blob) ==
               "microsoft.storage/storageaccounts/blobservices");
    BOOST_TEST(parent_of_blob_service(blob) ==
               "/subscriptions/s1/resourcegroups/rg/providers/"
               "microsoft.storage/storageaccounts/st");
    BOOST_TEST(last_segment("/a/b/c") == "c");
    BOOST_TEST(resource_group_of(blob) == "RG");
    BOOST_TEST(resource_group_of("/subscriptions/s1/RESOURCEGROUPS/Rg-1") ==
               "Rg-1");
    BOOST_TEST(resource_group_of("/subscriptions/s1").empty());
    BOOST_TEST(resource_group_of("/subscriptions/s1/providers/x/y/z").empty());
}

BOOST_AUTO_TEST_SUITE_END()
