#include "engine/audit.hpp"

#include "model/arm_id.hpp"

#include <boost/json/monotonic_resource.hpp>

#include <algorithm>
#include <array>
#include <unordered_set>

namespace byos::engine {

char const* to_string(Status status)
{
    switch (status) {
    case Status::failed: return "failed";
    case Status::passed: return "passed";
    case Status::not_evaluated: return "notEvaluated";
    case Status::not_applicable: return "notApplicable";
    }
    return "failed";
}

std::size_t AuditResult::count(Status status) const
{
    return static_cast<std::size_t>(
        std::count_if(outcomes.begin(), outcomes.end(),
                      [&](Outcome const& o) { return o.status == status; }));
}

bool AuditResult::complete() const
{
    return gaps.empty() && !nothing_to_audit &&
           std::none_of(findings.begin(), findings.end(), [](Finding const& f) {
               return f.status == Status::not_evaluated;
           });
}

namespace {

namespace bj = boost::json;

// Why a rule does not apply to a subject; empty when it does.
struct Applicability
{
    Status status = Status::passed; // passed here means "evaluate it"
    std::string reason;
};

Applicability applicability(Rule const& rule, Subject const& subject,
                            AuditOptions const& options)
{
    if (rule.speech_studio_only && !options.speech_studio)
        return {Status::not_applicable, "runs only with --speech-studio"};
    if (!rule.applies_in(subject.scenario))
        return {Status::not_applicable,
                std::string("does not apply to scenario ") +
                    to_string(subject.scenario)};
    if (rule.applies_to == AppliesTo::speech)
        return {};
    if (subject.storage_id.empty())
        return {Status::not_applicable, "not a BYOS Speech account"};
    if (rule.applies_to == AppliesTo::byos)
        return {};
    switch (subject.storage_presence) {
    case model::Presence::present: return {};
    case model::Presence::not_found:
        return {Status::not_applicable, "the storage account does not exist"};
    case model::Presence::unknown:
        return {Status::not_evaluated, subject.storage_unknown};
    }
    return {};
}

ResourceRef speech_ref(Subject const& s)
{
    return {s.speech->id, "speech", s.speech->source};
}

ResourceRef storage_ref(Subject const& s)
{
    if (s.storage)
        return {s.storage->id, "storage", s.storage->source};
    return {s.storage_id, "storage", {}};
}

// The resource a finding lands on, and the other one of the pair.
std::pair<ResourceRef, ResourceRef> placement(Rule const& rule,
                                              Subject const& s)
{
    switch (rule.resource) {
    case Target::speech:
        return {speech_ref(s),
                s.storage_id.empty() ? ResourceRef{} : storage_ref(s)};
    case Target::storage: return {storage_ref(s), speech_ref(s)};
    case Target::subscription:
        // A subscription has no JSON of its own in the input; the finding
        // points at the Speech account that brought it into the audit.
        return {{"/subscriptions/" + s.subscription, "subscription",
                 s.speech->source},
                speech_ref(s)};
    }
    return {speech_ref(s), {}};
}

class Auditor
{
public:
    Auditor(model::Estate const& estate, Catalog const& catalog,
            AuditOptions const& options, AuditResult& result)
        : estate_(estate), catalog_(catalog), options_(options), result_(result)
    {
    }

    void run()
    {
        result_.outcomes.reserve(estate_.speech_accounts.size() *
                                 catalog_.rules().size());
        for (auto const& speech : estate_.speech_accounts) {
            auto const storages = model::user_owned_storage(speech);
            if (storages.empty())
                audit_owned(speech, nullptr);
            for (auto const& owned : storages)
                audit_owned(speech, &owned);
        }
    }

private:
    // The facts of one pair live in a scratch arena, reset after the pair:
    // no allocation survives it, and most fit the arena's first block.
    void audit_owned(model::Resource const& speech,
                     model::OwnedStorage const* owned)
    {
        {
            auto const subject =
                make_subject(estate_, speech, owned, options_, result_.warnings,
                             bj::storage_ptr(&scratch_));
            audit_subject(subject);
        }
        scratch_.release();
    }

    void audit_subject(Subject const& subject)
    {
        auto const index = static_cast<std::uint32_t>(result_.subjects.size());
        result_.subjects.push_back(
            {subject.speech->id, subject.storage_id, subject.speech->source,
             subject.storage ? subject.storage->source : model::Source{},
             subject.scenario});
        auto const roots = subject.roots();

        auto const& rules = catalog_.rules();
        for (std::size_t r = 0; r < rules.size(); ++r) {
            auto const& rule = rules[r];
            auto const rule_index = static_cast<std::uint16_t>(r);
            auto const gate = applicability(rule, subject, options_);
            if (gate.status == Status::not_applicable) {
                result_.outcomes.push_back(
                    {index, rule_index, Status::not_applicable});
                continue;
            }
            if (gate.status == Status::not_evaluated) {
                record(rule_index, subject, Status::not_evaluated, {},
                       gate.reason, {});
                result_.outcomes.push_back(
                    {index, rule_index, Status::not_evaluated});
                continue;
            }

            auto const verdict = evaluate(rule.condition, roots);
            auto const status = verdict.truth == Truth::yes ? Status::failed
                                : verdict.truth == Truth::no
                                    ? Status::passed
                                    : Status::not_evaluated;
            result_.outcomes.push_back({index, rule_index, status});
            if (status == Status::passed) {
                if (options_.pass_evidence) {
                    auto& noted =
                        result_.pass_evidence[result_.outcomes.size() - 1];
                    evaluate(rule.condition, roots, &noted);
                }
                continue;
            }

            // Only findings pay for evidence: evaluate once more, noting
            // what was read.
            std::vector<Evidence> evidence;
            evaluate(rule.condition, roots, &evidence);
            record(rule_index, subject, status,
                   status == Status::failed ? rule.message.render(roots)
                                            : std::string(),
                   verdict.reason, std::move(evidence));
        }
    }

    // Adds a finding unless the same rule already said the same thing
    // about the same resource (a storage account shared by two Speech
    // accounts, a subscription holding several).
    void record(std::uint16_t rule, Subject const& subject, Status status,
                std::string message, std::string reason,
                std::vector<Evidence> evidence)
    {
        auto const& r = catalog_.rules()[rule];
        auto [primary, related] = placement(r, subject);
        auto key = std::to_string(rule) + '\n' + model::id_key(primary.id) +
                   '\n' + message + '\n' + reason;
        if (!seen_.insert(std::move(key)).second)
            return;

        Finding f;
        f.rule = rule;
        f.status = status;
        f.level = r.level;
        f.scenario = subject.scenario;
        f.primary = std::move(primary);
        f.related = std::move(related);
        f.message = std::move(message);
        f.reason = std::move(reason);
        f.evidence = std::move(evidence);
        result_.findings.push_back(std::move(f));
    }

    model::Estate const& estate_;
    Catalog const& catalog_;
    AuditOptions const& options_;
    AuditResult& result_;
    std::unordered_set<std::string> seen_;
    std::array<unsigned char, 64 * 1024> scratch_buffer_;
    boost::json::monotonic_resource scratch_{scratch_buffer_.data(),
                                             scratch_buffer_.size()};
};

}

AuditResult audit(model::Estate const& estate, Catalog const& catalog,
                  AuditOptions const& options)
{
    AuditResult result;
    result.gaps.assign(estate.scope_gaps.begin(), estate.scope_gaps.end());
    result.nothing_to_audit =
        estate.speech_accounts.empty() && estate.speech_listings == 0;
    Auditor(estate, catalog, options, result).run();
    return result;
}

}
