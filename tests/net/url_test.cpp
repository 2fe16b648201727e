// URLs the scanner is given (--arm-endpoint, AZURE_AUTHORITY_HOST,
// nextLink) and the requests it may make of them.

#include "net/http.hpp"
#include "net/url.hpp"

#include <boost/test/unit_test.hpp>

using namespace byos::net;

BOOST_AUTO_TEST_SUITE(net)

BOOST_AUTO_TEST_CASE(urls_split_into_origin_and_target)
{
    auto const arm = parse_url("https://Management.Azure.com");
    BOOST_REQUIRE(arm);
    BOOST_TEST(arm->tls);
    BOOST_TEST(arm->host == "management.azure.com");
    BOOST_TEST(arm->port == "443");
    BOOST_TEST(arm->target == "/");
    BOOST_TEST(arm->origin() == "https://management.azure.com");

    auto const local = parse_url("http://127.0.0.1:8080/msi/token?x=1#frag");
    BOOST_REQUIRE(local);
    BOOST_TEST(!local->tls);
    BOOST_TEST(local->port == "8080");
    BOOST_TEST(local->target == "/msi/token?x=1");
    BOOST_TEST(local->origin() == "http://127.0.0.1:8080");

    auto const v6 = parse_url("https://[::1]:8443/a");
    BOOST_REQUIRE(v6);
    BOOST_TEST(v6->host == "::1");
    BOOST_TEST(v6->origin() == "https://[::1]:8443");

    for (auto const* bad :
         {"management.azure.com", "ftp://x", "https://", "https://:443",
          "https://user:secret@host/", "https://host:99999", "https://h:x"})
        BOOST_TEST(!parse_url(bad), bad);
}

BOOST_AUTO_TEST_CASE(join_keeps_one_slash_and_the_base_path)
{
    BOOST_TEST(join("https://h/", "/subscriptions?api-version=1")->text() ==
               "https://h/subscriptions?api-version=1");
    BOOST_TEST(join("https://h/stack/", "tenant/oauth2/v2.0/token")->text() ==
               "https://h/stack/tenant/oauth2/v2.0/token");
    BOOST_TEST(url_encode("principalId eq 'a-b_c.d~'") ==
               "principalId%20eq%20%27a-b_c.d~%27");
}

// The request types fix their methods; a POST can only be a token request
// or a Resource Graph query.
BOOST_AUTO_TEST_CASE(requests_are_read_only_by_construction)
{
    auto const arm = *parse_url("https://h/subscriptions?api-version=1");
    BOOST_TEST(Request::arm_get(arm).method() == std::string("GET"));
    BOOST_TEST(Request::arm_get(arm).needs_bearer());
    BOOST_TEST(Request::token(arm, "a=b").method() == std::string("POST"));
    BOOST_TEST(!Request::token(arm, "a=b").needs_bearer());
    BOOST_TEST(Request::managed_identity(arm, "Metadata", "true").method() ==
               std::string("GET"));

    auto const graph = *parse_url(
        "https://h/providers/Microsoft.ResourceGraph/resources?api-version=1");
    auto const query = Request::graph_query(graph, "{}");
    BOOST_REQUIRE(query);
    BOOST_TEST(query->method() == std::string("POST"));
    BOOST_TEST(query->needs_bearer());

    auto const write = *parse_url(
        "https://h/subscriptions/s/resourceGroups/r/providers/"
        "Microsoft.Storage/storageAccounts/a/listKeys?api-version=1");
    BOOST_TEST(!Request::graph_query(write, "{}"));
}

BOOST_AUTO_TEST_SUITE_END()
