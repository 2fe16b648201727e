// check reads the JSON people already have. Each form is tested by giving
// the base pair's resources in that form instead of a snapshot and
// checking that the audit comes out the same: every rule evaluated and
// passed.

#include "support/fixture.hpp"
#include "util/files.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

namespace bj = boost::json;
using namespace byos;
using test::Document;

namespace {

bj::value base()
{
    return test::read_json(test::data_dir() +
                           "/fixtures/base-pair.snapshot.json");
}

bj::value const& collection(bj::value const& snapshot, char const* name)
{
    return snapshot.at("collections").at(name);
}

bj::value speech(bj::value const& s)
{
    return collection(s, "speechAccounts")
        .at(0)
        .at("pages")
        .at(0)
        .at("value")
        .at(0);
}
bj::value storage(bj::value const& s)
{
    return collection(s, "storageAccounts").at(0).at("body");
}
bj::value blob(bj::value const& s)
{
    return collection(s, "blobServices").at(0).at("body");
}
bj::value assignments(bj::value const& s)
{
    return collection(s, "roleAssignments").at(0).at("pages").at(0).at("value");
}
bj::value feature(bj::value const& s)
{
    return collection(s, "features").at(0).at("body");
}

// `az storage account show` prints the SDK's flattened model.
bj::value az_storage(bj::value const& arm)
{
    bj::object flat;
    for (auto const& [k, v] : arm.as_object())
        if (k != "properties")
            flat[k] = v;
    for (auto const& [k, v] : arm.at("properties").as_object())
        flat[k] = v;
    flat["enableHttpsTrafficOnly"] = flat["supportsHttpsTrafficOnly"];
    flat.erase("supportsHttpsTrafficOnly");
    flat["networkRuleSet"] = flat["networkAcls"];
    flat.erase("networkAcls");
    return flat;
}

// `az role assignment list` prints assignments flattened.
bj::value az_assignments(bj::value const& arm)
{
    bj::array out;
    for (auto const& a : arm.as_array()) {
        bj::object flat{
            {"id", a.at("id")},
            {"name", a.at("name")},
            {"type", a.at("type")},
            {"roleDefinitionName", "Storage Blob Data Contributor"}};
        for (auto const& [k, v] : a.at("properties").as_object())
            flat[k] = v;
        out.push_back(std::move(flat));
    }
    return out;
}

bj::value az_blob_service(bj::value const& arm)
{
    bj::object flat{{"id", arm.at("id")},
                    {"name", arm.at("name")},
                    {"type", arm.at("type")}};
    for (auto const& [k, v] : arm.at("properties").as_object())
        flat[k] = v;
    return flat;
}

bj::value az_account_list()
{
    return bj::array{
        bj::object{{"cloudName", "AzureCloud"},
                   {"id", "6d0e3c1a-5b7f-4c2e-9a84-1f3b2d7e9c10"},
                   {"isDefault", true},
                   {"name", "Test Speech"},
                   {"state", "Enabled"},
                   {"tenantId", "4f6a2b9c-8d1e-4e3f-a5b7-0c9d8e7f6a51"},
                   {"homeTenantId", "4f6a2b9c-8d1e-4e3f-a5b7-0c9d8e7f6a51"}}};
}

Document doc(std::string name, bj::value const& v, std::string kind = {})
{
    return {std::move(name), bj::serialize(v), std::move(kind)};
}

void expect_all_evaluated_and_passed(test::Audit const& audit)
{
    BOOST_TEST(audit.result.subjects.size() == 1u);
    BOOST_TEST(audit.result.complete());
    for (auto const& f : audit.result.findings)
        BOOST_TEST_MESSAGE("finding " << audit.catalog.rules()[f.rule].id
                                      << ": " << f.message << f.reason);
    BOOST_TEST(audit.result.findings.empty());
    // 27 rules less BYOS013/016 (text to speech) and BYOS018/022 (Speech
    // Studio), which do not apply to a speech-to-text pair by default.
    BOOST_TEST(audit.result.count(engine::Status::passed) == 23u);
}

}

BOOST_AUTO_TEST_SUITE(loader)

BOOST_AUTO_TEST_CASE(az_show_outputs_one_file_per_resource)
{
    auto const s = base();
    auto const audit = test::audit({
        doc("account.json", speech(s)),
        doc("storage.json", az_storage(storage(s))),
        doc("blob.json", az_blob_service(blob(s))),
        doc("roles.json", az_assignments(assignments(s))),
        doc("subs.json", az_account_list()),
        doc("feature.json", feature(s)),
    });
    expect_all_evaluated_and_passed(*audit);
}

BOOST_AUTO_TEST_CASE(arrays_list_pages_and_resource_graph_output)
{
    auto const s = base();
    bj::object vm{{"id", "/subscriptions/6d0e3c1a-5b7f-4c2e-9a84-"
                         "1f3b2d7e9c10/resourceGroups/rg/providers/"
                         "Microsoft.Compute/virtualMachines/vm1"},
                  {"type", "Microsoft.Compute/virtualMachines"}};

    // Resource Graph lowercases types.
    auto graph_storage = storage(s);
    graph_storage.as_object()["type"] = "microsoft.storage/storageaccounts";

    auto const audit = test::audit({
        doc("resources.json", bj::array{speech(s), vm}),
        doc("graph.json", bj::object{{"count", 1},
                                     {"data", bj::array{graph_storage}},
                                     {"skip_token", nullptr},
                                     {"total_records", 1}}),
        doc("blobs.json", bj::object{{"value", bj::array{blob(s)}}}),
        doc("roles.json", bj::object{{"value", assignments(s)}}),
        doc("subs.json",
            collection(s, "subscriptions").at(0).at("pages").at(0)),
        doc("feature.json", feature(s)),
    });
    expect_all_evaluated_and_passed(*audit);
}

BOOST_AUTO_TEST_CASE(resource_ids_join_case_insensitively)
{
    auto const s = base();
    auto account = speech(s);
    auto& uos =
        account.at("properties").at("userOwnedStorage").at(0).as_object();
    uos["resourceId"] = "/SUBSCRIPTIONS/6D0E3C1A-5B7F-4C2E-9A84-1F3B2D7E9C10"
                        "/resourcegroups/RG-SPEECH/providers/"
                        "microsoft.storage/storageaccounts/STSPEECHTEST";
    auto const audit = test::audit({
        doc("account.json", account),
        doc("storage.json", storage(s)),
        doc("blob.json", blob(s)),
        doc("roles.json", assignments(s)),
        doc("subs.json", az_account_list()),
        doc("feature.json", feature(s)),
    });
    expect_all_evaluated_and_passed(*audit);
}

BOOST_AUTO_TEST_CASE(an_empty_list_proves_nothing_without_a_kind)
{
    auto const s = base();
    std::vector<Document> docs{
        doc("account.json", speech(s)),  doc("storage.json", storage(s)),
        doc("blob.json", blob(s)),       doc("subs.json", az_account_list()),
        doc("feature.json", feature(s)), doc("roles.json", bj::array{})};

    auto const unknown = test::audit(docs);
    BOOST_TEST(engine::to_string(unknown->status("BYOS004")) ==
               std::string("notEvaluated"));
    BOOST_TEST(unknown->warnings.size() == 1u);
    BOOST_TEST(unknown->warnings.front().find("roleAssignments=") !=
               std::string::npos);

    // Declared as role assignments, the empty list is a finding.
    docs.back().kind = "roleAssignments";
    auto const declared = test::audit(docs);
    BOOST_TEST(engine::to_string(declared->status("BYOS004")) ==
               std::string("failed"));
}

BOOST_AUTO_TEST_CASE(a_declared_kind_rejects_other_content)
{
    auto const s = base();
    BOOST_CHECK_THROW(
        test::audit({doc("x.json", bj::array{storage(s)}, "roleAssignments")}),
        std::runtime_error);
}

BOOST_AUTO_TEST_CASE(the_first_copy_of_a_resource_wins)
{
    auto const s = base();
    auto changed = storage(s);
    changed.at("properties").as_object()["allowSharedKeyAccess"] = true;
    auto const audit = test::audit({
        doc("snapshot.json", s),
        doc("later.json", changed),
    });
    BOOST_TEST(engine::to_string(audit->status("BYOS008")) ==
               std::string("passed"));
    BOOST_TEST(audit->estate.storage_accounts.size() == 1u);
}

BOOST_AUTO_TEST_CASE(resources_remember_where_their_json_begins)
{
    auto const text =
        read_text_file(test::data_dir() + "/fixtures/base-pair.snapshot.json");
    auto const audit = test::audit({{"base.json", *text, ""}});
    auto const& speech_account = audit->estate.speech_accounts.front();
    auto const& storage_account = audit->estate.storage_accounts.front();
    // Lines of the opening braces in tests/fixtures/base-pair.snapshot.json.
    BOOST_TEST(speech_account.source.at.line == 48u);
    BOOST_TEST(speech_account.source.at.column == 15u);
    BOOST_TEST(storage_account.source.at.line == 81u);
    BOOST_TEST(storage_account.source.at.column == 17u);
}

BOOST_AUTO_TEST_CASE(resources_without_properties_are_not_read)
{
    // az resource list prints "properties": null; defaults must not pass.
    auto const s = base();
    auto account = speech(s);
    auto bare_storage = storage(s);
    bare_storage.as_object()["properties"] = nullptr;
    auto const with_bare_storage = test::audit(
        {doc("account.json", account),
         doc("resources.json", bj::array{bare_storage}),
         doc("blob.json", blob(s)), doc("roles.json", assignments(s)),
         doc("subs.json", az_account_list()), doc("feature.json", feature(s))});
    BOOST_TEST(engine::to_string(with_bare_storage->status("BYOS030")) ==
               std::string("notEvaluated"));
    BOOST_TEST(!with_bare_storage->result.complete());

    account.as_object()["properties"] = nullptr;
    auto const with_bare_speech =
        test::audit({doc("resources.json", bj::array{account})});
    BOOST_TEST(with_bare_speech->result.subjects.empty());
    BOOST_TEST(with_bare_speech->result.gaps.size() == 1u);
    BOOST_TEST(!with_bare_speech->result.complete());
}

BOOST_AUTO_TEST_CASE(a_page_with_a_next_link_is_not_the_whole_list)
{
    auto const s = base();
    auto const audit = test::audit(
        {doc("account.json", speech(s)), doc("storage.json", storage(s)),
         doc("blob.json", blob(s)), doc("subs.json", az_account_list()),
         doc("feature.json", feature(s)),
         doc("roles.json",
             bj::object{{"value", assignments(s)},
                        {"nextLink", "https://management.azure.com/x?"
                                     "$skipToken=abc"}})});
    BOOST_TEST(audit->warnings.size() == 1u);
    BOOST_TEST(engine::to_string(audit->status("BYOS006")) ==
               std::string("notEvaluated"));
}

BOOST_AUTO_TEST_SUITE_END()
