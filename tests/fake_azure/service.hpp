#pragma once

// The behaviour of byos-fake-azure without its transport: what Entra ID,
// the managed identity endpoints and Azure Resource Manager answer to one
// request, which fault applies, and what the stats file says. main.cpp
// owns the sockets; everything here is synchronous and single-threaded.
//
// The stand-in shares no code with the scanner on purpose: it implements
// ARM's rules (case-insensitive IDs, role assignment inheritance, paging)
// a second time, so a test compares two readings of the documentation
// instead of one implementation with itself.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace byos::fake {

// Why a value could not be made: one sentence, lower case. The declared
// constructor keeps it from being an aggregate, which a string could
// construct, and that would make Checked<std::string> ambiguous.
struct Problem
{
    Problem() = default;
    static Problem saying(std::string what)
    {
        Problem problem;
        problem.what = std::move(what);
        return problem;
    }

    std::string what;
};

// A value or the Problem that prevented it.
template <class T>
using Checked = boost::system::result<T, Problem>;

enum class Port
{
    https,
    http,
};

// The request classes the stats file counts under "byRoute".
enum class Route
{
    token,
    msi,
    imds,
    subscriptions,
    locations,
    speech_list,
    storage_list,
    resource,
    role_assignments,
    resource_graph,
    other,
};

enum class FaultKind
{
    status,
    throttle,
    drop,
    truncate,
    malformed,
    hang,
    latency,
};

struct Fault
{
    std::string match;  // lower case; a substring of the request target
    std::string method; // upper case; empty matches any method
    FaultKind kind = FaultKind::status;
    std::optional<long> times; // applications left; none: unlimited
    int status = 500;
    std::string code;                // empty: the status's usual code
    std::string message;             // empty: a generic one
    std::optional<long> retry_after; // seconds: a Retry-After header
    long seconds = 60;               // for hang
    long ms = 1000;                  // for latency
    long hits = 0;
};

struct Credentials
{
    std::string client_id;
    std::string client_secret;   // empty: secrets are refused
    std::string federated_token; // empty: assertions are refused
    std::string identity_header; // empty: no App Service identity
};

// A resource of the estate with its ID and type folded to lower case, the
// way ARM compares them.
struct Resource
{
    std::string key;      // the ID, lower case, no trailing slash
    std::string type_key; // the type, lower case
    boost::json::object body;
};

struct Estate
{
    std::string tenant_id;
    Credentials credentials;
    std::vector<std::string> audiences; // normalised; see accepts_audience
    long token_lifetime_seconds = 3600;
    long latency_ms = 0;
    std::size_t page_size = 100;
    long idle_timeout_seconds = 30;
    std::vector<boost::json::object> subscriptions;
    std::map<std::string, boost::json::array> locations; // by lower-case ID
    std::vector<Resource> resources;
    std::vector<Fault> faults;
};

// Reads the estate file's text (described in README.md). Unknown keys are
// errors, so that a typo in a test's setup cannot silently do nothing.
Checked<Estate> parse_estate(std::string const& text);

struct Incoming
{
    std::string method; // as sent
    std::string target; // as sent: path and query, still encoded
    Port port = Port::https;
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
};

// What the transport does with a request once the Service has looked at it.
enum class Action
{
    respond,  // send `status`, `headers` and `body`
    drop,     // close the connection without a response
    truncate, // announce the whole body, send half of it, close
    hang,     // send nothing for `hang`, then close
};

struct Reply
{
    Action action = Action::respond;
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds delay{0}; // before anything is sent
    std::chrono::seconds hang{0};
    // The request as the stats file shows it: "GET /subscriptions?...",
    // withheld when the target held a token or a secret.
    std::string line;
};

// A request target taken apart; defined in service.cpp.
struct Target;

class Service
{
public:
    explicit Service(Estate estate);

    // The port nextLink URLs and WWW-Authenticate headers point at.
    void set_https_port(int port) { https_port_ = port; }

    // Answers one request and records it in the stats. The reply's status
    // is final: the transport sends it or, for the faults that send
    // nothing, the stats record it as 0.
    Reply handle(Incoming const& request);

    // Transport events, for the stats.
    void connection_opened(Port port);
    void tls_handshake_failed() { ++tls_failures_; }
    void request_started();
    void request_finished() { --in_flight_; }

    // The stats file's content; never holds a token or a secret.
    std::string stats_text() const;

private:
    struct Token
    {
        std::chrono::steady_clock::time_point expires;
        std::string audience;
    };

    Reply dispatch(Incoming const& request, Target const& target, Route route);
    Reply token(Incoming const& request, Target const& target);
    Reply managed_identity(Incoming const& request, Target const& target,
                           Route route);
    Reply arm(Incoming const& request, Target const& target, Route route);
    Reply arm_get(Target const& target, Route route);
    Reply role_assignments(Target const& target);
    Reply role_definition(Target const& target) const;
    boost::json::array list_under(Target const& target,
                                  std::string_view type) const;
    Reply resource_graph(Incoming const& request);
    std::optional<Reply> check_bearer(Incoming const& request);
    Reply page(boost::json::array items, Target const& target) const;
    Reply apply(Fault& fault, Incoming const& request, Target const& target,
                Route route);
    Fault* pick_fault(Incoming const& request);
    std::optional<Reply> check_port(Incoming const& request, Route route) const;

    std::string issue_token(std::string const& audience,
                            std::string const& subject);
    bool holds_secret(std::string_view text) const;
    std::string line_of(Incoming const& request);
    bool accepts_audience(std::string const& audience) const;
    boost::json::object const* subscription(std::string const& id) const;
    void record(Incoming const& request, Route route, Reply const& reply,
                Fault const* fault);

    Estate estate_;
    int https_port_ = 0;
    std::unordered_map<std::string, std::size_t> by_key_;
    std::unordered_map<std::string, Token> tokens_;

    // Stats.
    std::size_t requests_ = 0;
    std::map<std::string, std::size_t> by_method_;
    std::vector<std::size_t> by_route_;
    std::map<int, std::size_t> by_status_;
    long in_flight_ = 0;
    long peak_in_flight_ = 0;
    std::size_t connections_ = 0;
    std::size_t https_connections_ = 0;
    std::size_t http_connections_ = 0;
    std::size_t tls_failures_ = 0;
    std::size_t tokens_issued_ = 0;
    std::size_t token_refusals_ = 0;
    std::size_t unauthorized_ = 0;
    std::size_t faults_applied_ = 0;
    std::size_t with_authorization_ = 0;
    std::size_t secrets_in_targets_ = 0;
    std::size_t log_dropped_ = 0;
    std::vector<std::string> violations_;
    boost::json::array request_log_;
    boost::json::array request_details_;
};

}
