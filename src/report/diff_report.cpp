#include "report/report.hpp"

namespace byos::report {

namespace {

// Markdown table cells hold no raw pipe or line break.
std::string cell(std::string_view text)
{
    std::string out;
    for (char ch : text) {
        if (ch == '|')
            out += "\\|";
        else if (ch == '\n' || ch == '\r')
            out += ' ';
        else
            out += ch;
    }
    return out;
}

void text_section(std::string& out, char const* title,
                  std::vector<triage::BaselineResult> const& results)
{
    out += std::string(title) + " (" + std::to_string(results.size()) + ")\n";
    for (auto const& r : results)
        out += "  " + std::string(r.suppressed ? "suppressed " : "") + r.level +
               " " + r.rule_id + " " + r.resource + "\n    " + r.message + "\n";
    out += "\n";
}

void markdown_section(std::string& out, char const* title,
                      std::vector<triage::BaselineResult> const& results)
{
    out += "### " + std::string(title) + " (" + std::to_string(results.size()) +
           ")\n\n";
    if (results.empty()) {
        out += "None.\n\n";
        return;
    }
    out += "| Level | Rule | Resource | Finding |\n| --- | --- | --- | --- |\n";
    for (auto const& r : results)
        out += "| " + std::string(r.suppressed ? "suppressed " : "") +
               cell(r.level) + " | " + cell(r.rule_id) + " | `" +
               cell(r.resource) + "` | " + cell(r.message) + " |\n";
    out += "\n";
}

}

std::string diff_report(triage::Diff const& diff, std::string const& before,
                        std::string const& after, bool markdown)
{
    std::string out;
    auto const counts =
        change_counts(diff.added.size(), diff.fixed.size(), diff.open.size(),
                      "still open", diff.unverified.size());
    if (markdown) {
        out += "## byos-audit: what changed\n\nFrom `" + cell(before) +
               "` to `" + cell(after) + "`: " + counts + ".\n\n";
        markdown_section(out, "New", diff.added);
        markdown_section(out, "Fixed", diff.fixed);
        markdown_section(out, "Still open", diff.open);
        if (!diff.unverified.empty())
            markdown_section(out,
                             "Not verified (the newer audit could not "
                             "read them)",
                             diff.unverified);
        return out;
    }
    out += "From " + before + " to " + after + ": " + counts + ".\n\n";
    text_section(out, "New", diff.added);
    text_section(out, "Fixed", diff.fixed);
    text_section(out, "Still open", diff.open);
    if (!diff.unverified.empty())
        text_section(out, "Not verified (the newer audit could not read them)",
                     diff.unverified);
    return out;
}

}
