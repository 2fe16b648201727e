#pragma once

// Test support: estates for byos-fake-azure (tests/fake_azure/README.md),
// so that a scanner test states only what it is about.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace byos::test {

// The defaults of fake_estate: the base pair's tenant and subscription,
// and credentials the stand-in accepts.
inline constexpr char const* fake_tenant_id =
    "4f6a2b9c-8d1e-4e3f-a5b7-0c9d8e7f6a51";
inline constexpr char const* fake_subscription_id =
    "6d0e3c1a-5b7f-4c2e-9a84-1f3b2d7e9c10";
inline constexpr char const* fake_client_id = "test-client";
inline constexpr char const* fake_client_secret = "test-secret-value";
inline constexpr char const* fake_federated_token =
    "test-federated-token-value";
inline constexpr char const* fake_identity_header =
    "test-identity-header-value";

// The resources of byos_pair_estate.
inline constexpr char const* pair_speech_id =
    "/subscriptions/6d0e3c1a-5b7f-4c2e-9a84-1f3b2d7e9c10/resourceGroups/"
    "rg-speech/providers/Microsoft.CognitiveServices/accounts/speech-test";
inline constexpr char const* pair_storage_id =
    "/subscriptions/6d0e3c1a-5b7f-4c2e-9a84-1f3b2d7e9c10/resourceGroups/"
    "rg-speech/providers/Microsoft.Storage/storageAccounts/stspeechtest";
inline constexpr char const* pair_principal_id =
    "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
inline constexpr char const* storage_blob_data_contributor =
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

// An estate holding `resources` (ARM objects with "id" and "type"), with
// the tenant, one enabled subscription and its eastus location, the
// credentials above and a page size of 100. Change any key afterwards:
// estate["pageSize"] = 2, estate["faults"] = ...
boost::json::object fake_estate(boost::json::array resources = {});

// The compliant BYOS pair of tests/fixtures/base-pair.snapshot.json, read
// from that file so the two cannot drift: the Speech account, its storage
// account and blob service, the byoxPreview feature and the Speech
// identity's Storage Blob Data Contributor assignment, plus the built-in
// role definition. `byos-audit check` finds nothing wrong with it.
boost::json::object byos_pair_estate();

}
