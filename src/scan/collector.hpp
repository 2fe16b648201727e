#pragma once

// The live scan: which ARM requests to make, and the snapshot
// (docs/snapshot-format.md) they fill. The requests form a small graph:
// subscriptions, then for each subscription its regions and Speech
// accounts, then for each BYOS Speech account its storage account (by ID,
// in whatever subscription it lives), that account's blob service and the
// role assignments that reach it for the Speech identity, and the role
// definitions those assignments name, plus the byoxPreview feature of
// each subscription that holds Speech accounts. With Resource Graph, the
// Speech accounts of the whole scope and the storage accounts of each
// subscription that holds linked ones come from paged queries instead.
// Requests grow with the
// number of subscriptions and storage accounts, never with the properties
// the rules check. Every failed request becomes an entry with its status
// and ARM error, so the audit reports it as not audited.

#include "net/http.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <functional>
#include <string>
#include <vector>

namespace byos::scan {

struct ScanScope
{
    std::vector<std::string> subscriptions; // empty: every one visible
    std::vector<std::string> resource_groups; // narrow the Speech listing
    std::vector<std::string> management_groups; // Resource Graph scope
    bool resource_graph = false; // list accounts through Resource Graph
};

struct ScanSettings
{
    std::string arm_endpoint; // "https://management.azure.com"
    std::string cloud;        // for the record
    std::string collected_at; // ISO 8601 UTC
    // Called after each response, for a progress line.
    std::function<void(std::size_t done, std::size_t subscriptions)> progress;
};

// Subscriptions past which Resource Graph is used without being asked.
inline constexpr std::size_t resource_graph_threshold = 50;

// Collects the scope into a byos-audit/1 snapshot. Failures are entries
// in it, never exceptions.
boost::asio::awaitable<boost::json::object>
collect(net::Client& client, ScanScope const& scope,
        ScanSettings const& settings);

}
