#!/usr/bin/env python3
"""Writes an estate for byos-fake-azure (tests/fake_azure/README.md): PAIRS
Speech and storage account pairs spread over SUBS subscriptions, each pair
with its blob service and the Speech identity's Storage Blob Data
Contributor assignment, for the scan benchmark (bench/scan.sh).

    scan_estate.py PAIRS SUBS LATENCY_MS FILE
"""
import json
import sys
import uuid

ROLE = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"


def guid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "byos-bench/" + "/".join(parts)))


def main():
    pairs, subs, latency, path = (int(sys.argv[1]), int(sys.argv[2]),
                                  int(sys.argv[3]), sys.argv[4])
    tenant = guid("tenant")
    subscriptions, locations, resources = [], {}, []
    sub_ids = [guid("sub", str(s)) for s in range(subs)]
    for s in sub_ids:
        subscriptions.append({
            "id": "/subscriptions/" + s, "subscriptionId": s,
            "tenantId": tenant, "displayName": "bench " + s[:8],
            "state": "Enabled"})
        locations[s] = [{
            "id": "/subscriptions/%s/locations/eastus" % s,
            "name": "eastus", "type": "Region", "displayName": "East US",
            "metadata": {"geographyGroup": "US", "regionType": "Physical"}}]
        resources.append({
            "id": "/subscriptions/%s/providers/Microsoft.Features/providers/"
                  "Microsoft.CognitiveServices/features/byoxPreview" % s,
            "name": "Microsoft.CognitiveServices/byoxPreview",
            "type": "Microsoft.Features/providers/features",
            "properties": {"state": "Registered"}})
    resources.append({
        "id": "/providers/Microsoft.Authorization/roleDefinitions/" + ROLE,
        "name": ROLE, "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {"roleName": "Storage Blob Data Contributor",
                       "type": "BuiltInRole"}})

    for i in range(pairs):
        s = sub_ids[i % subs]
        group = "/subscriptions/%s/resourceGroups/rg-%d" % (s, i)
        speech = group + "/providers/Microsoft.CognitiveServices/accounts/" \
                         "speech-%d" % i
        storage = group + "/providers/Microsoft.Storage/storageAccounts/" \
                          "st%d" % i
        principal = guid("principal", str(i))
        resources.append({
            "id": speech, "name": "speech-%d" % i,
            "type": "Microsoft.CognitiveServices/accounts",
            "location": "eastus", "kind": "SpeechServices",
            "identity": {"type": "SystemAssigned", "principalId": principal,
                         "tenantId": tenant},
            "properties": {"userOwnedStorage": [{"resourceId": storage}],
                           "disableLocalAuth": True}})
        resources.append({
            "id": storage, "name": "st%d" % i,
            "type": "Microsoft.Storage/storageAccounts",
            "location": "eastus", "kind": "StorageV2",
            "properties": {
                "allowBlobPublicAccess": False,
                "allowSharedKeyAccess": False,
                "supportsHttpsTrafficOnly": True,
                "minimumTlsVersion": "TLS1_2",
                "publicNetworkAccess": "Enabled",
                "networkAcls": {
                    "defaultAction": "Deny", "bypass": "None",
                    "ipRules": [], "virtualNetworkRules": [],
                    "resourceAccessRules": [
                        {"tenantId": tenant, "resourceId": speech}]}}})
        resources.append({
            "id": storage + "/blobServices/default", "name": "default",
            "type": "Microsoft.Storage/storageAccounts/blobServices",
            "properties": {"cors": {"corsRules": []},
                           "deleteRetentionPolicy": {"enabled": True,
                                                     "days": 7}}})
        resources.append({
            "id": storage + "/providers/Microsoft.Authorization/"
                            "roleAssignments/" + guid("ra", str(i)),
            "name": guid("ra", str(i)),
            "type": "Microsoft.Authorization/roleAssignments",
            "properties": {
                "roleDefinitionId": "/subscriptions/%s/providers/"
                                    "Microsoft.Authorization/"
                                    "roleDefinitions/%s" % (s, ROLE),
                "principalId": principal, "principalType": "ServicePrincipal",
                "scope": storage}})

    estate = {
        "tenantId": tenant,
        "credentials": {"clientId": "bench-client",
                        "clientSecret": "bench-secret"},
        "latencyMs": latency, "pageSize": 100,
        "subscriptions": subscriptions, "locations": locations,
        "resources": resources}
    with open(path, "w") as out:
        json.dump(estate, out)
    print(json.dumps({"tenant": tenant, "subscriptions": sub_ids}))


main()
