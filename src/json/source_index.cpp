#include "json/source_index.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <utility>

namespace byos::json {

namespace {

// Columns count Unicode code points: UTF-8 continuation bytes add none.
bool is_continuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}

Position position_of_offset(std::string_view text, std::size_t offset)
{
    offset = std::min(offset, text.size());
    Position at{1, 1};
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++at.line;
            at.column = 1;
        } else if (!is_continuation(text[i])) {
            ++at.column;
        }
    }
    return at;
}

std::string line_column(Position at)
{
    if (!at.line)
        return "";
    return "line " + std::to_string(at.line) + ", column " +
           std::to_string(at.column);
}

std::string file_line(std::string const& file, Position at)
{
    return at.line ? file + ":" + std::to_string(at.line) : file;
}

void append_pointer_token(std::string& pointer, std::string_view token)
{
    pointer += '/';
    for (char c : token) {
        if (c == '~')
            pointer += "~0";
        else if (c == '/')
            pointer += "~1";
        else
            pointer += c;
    }
}

void append_pointer_index(std::string& pointer, std::size_t index)
{
    pointer += '/';
    pointer += std::to_string(index);
}

namespace {

// The wanted pointers as a tree with one node per prefix, so that the scan
// descends only where a wanted value lies and skips everything else.
struct Node
{
    std::ptrdiff_t wanted = -1; // index of the pointer ending here
    std::vector<std::pair<std::string, std::uint32_t>> keys;
    std::vector<std::uint32_t> items; // 0: no node (the root is 0)

    bool leaf() const { return keys.empty() && items.empty(); }
};

std::string unescape_token(std::string_view token)
{
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size()) {
            out += token[i + 1] == '1' ? '/' : '~';
            ++i;
        } else {
            out += token[i];
        }
    }
    return out;
}

bool all_digits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
}

class Trie
{
public:
    explicit Trie(std::vector<std::string> const& pointers) : nodes_(1)
    {
        for (std::size_t i = 0; i < pointers.size(); ++i)
            nodes_[insert(pointers[i])].wanted = static_cast<std::ptrdiff_t>(i);
    }

    Node const& node(std::uint32_t id) const { return nodes_[id]; }

    std::uint32_t member(std::uint32_t id, std::string_view key) const
    {
        for (auto const& [k, child] : nodes_[id].keys)
            if (k == key)
                return child;
        return 0;
    }

    std::uint32_t element(std::uint32_t id, std::size_t index) const
    {
        auto const& items = nodes_[id].items;
        return index < items.size() ? items[index] : 0;
    }

private:
    std::uint32_t insert(std::string_view pointer)
    {
        std::uint32_t at = 0;
        while (!pointer.empty()) {
            pointer.remove_prefix(1); // the '/'
            auto const end = pointer.find('/');
            auto const token = unescape_token(pointer.substr(0, end));
            pointer = end == std::string_view::npos ? std::string_view()
                                                    : pointer.substr(end);
            at = all_digits(token) ? add_element(at, std::stoul(token))
                                   : add_member(at, token);
        }
        return at;
    }

    std::uint32_t add_member(std::uint32_t at, std::string const& key)
    {
        if (auto const found = member(at, key))
            return found;
        auto const id = new_node();
        nodes_[at].keys.emplace_back(key, id);
        return id;
    }

    std::uint32_t add_element(std::uint32_t at, std::size_t index)
    {
        if (auto const found = element(at, index))
            return found;
        auto const id = new_node();
        auto& items = nodes_[at].items;
        if (items.size() <= index)
            items.resize(index + 1, 0);
        items[index] = id;
        return id;
    }

    std::uint32_t new_node()
    {
        nodes_.emplace_back();
        return static_cast<std::uint32_t>(nodes_.size() - 1);
    }

    std::vector<Node> nodes_;
};

// Walks valid JSON text, descending only into the trie's nodes and
// skipping every other value with a tight loop; records byte offsets.
class Scanner
{
public:
    Scanner(std::string_view text, Trie const& trie,
            std::vector<std::size_t>& offsets)
        : text_(text), trie_(trie), offsets_(offsets)
    {
    }

    void run() { walk(0); }

private:
    void walk(std::uint32_t id)
    {
        skip_blanks();
        auto const& node = trie_.node(id);
        if (node.wanted >= 0)
            offsets_[static_cast<std::size_t>(node.wanted)] = i_;
        if (node.leaf() || i_ >= text_.size()) {
            skip_value();
            return;
        }
        if (text_[i_] == '{')
            walk_object(id);
        else if (text_[i_] == '[')
            walk_array(id);
        else
            skip_value();
    }

    void walk_object(std::uint32_t id)
    {
        ++i_;
        std::string buffer;
        while (true) {
            skip_blanks();
            if (i_ >= text_.size() || text_[i_] == '}')
                break;
            auto const key = read_key(buffer);
            skip_blanks();
            ++i_; // ':'
            if (auto const child = trie_.member(id, key)) {
                walk(child);
            } else {
                skip_blanks();
                skip_value();
            }
            if (!next_or_close('}'))
                return;
        }
        ++i_;
    }

    void walk_array(std::uint32_t id)
    {
        ++i_;
        for (std::size_t index = 0;; ++index) {
            skip_blanks();
            if (i_ >= text_.size() || text_[i_] == ']')
                break;
            if (auto const child = trie_.element(id, index))
                walk(child);
            else
                skip_value();
            if (!next_or_close(']'))
                return;
        }
        ++i_;
    }

    // After a member or element: true at a comma (consumed), false at
    // the closing bracket (consumed) or the end.
    bool next_or_close(char close)
    {
        skip_blanks();
        if (i_ < text_.size() && text_[i_] == ',') {
            ++i_;
            return true;
        }
        if (i_ < text_.size() && text_[i_] == close)
            ++i_;
        return false;
    }

    void skip_blanks()
    {
        while (i_ < text_.size() && (text_[i_] == ' ' || text_[i_] == '\n' ||
                                     text_[i_] == '\r' || text_[i_] == '\t'))
            ++i_;
    }

    // At an opening quote: moves past the closing one.
    void skip_string()
    {
        ++i_;
        while (i_ < text_.size()) {
            auto const* quote = static_cast<char const*>(
                std::memchr(text_.data() + i_, '"', text_.size() - i_));
            if (!quote) {
                i_ = text_.size();
                return;
            }
            auto const at = static_cast<std::size_t>(quote - text_.data());
            std::size_t backslashes = 0;
            while (at > backslashes && text_[at - 1 - backslashes] == '\\')
                ++backslashes;
            i_ = at + 1;
            if (backslashes % 2 == 0)
                return;
        }
    }

    void skip_value()
    {
        if (i_ >= text_.size())
            return;
        char const c = text_[i_];
        if (c == '"') {
            skip_string();
            return;
        }
        if (c != '{' && c != '[') {
            while (i_ < text_.size() && text_[i_] != ',' && text_[i_] != '}' &&
                   text_[i_] != ']' && text_[i_] != ' ' && text_[i_] != '\n' &&
                   text_[i_] != '\r' && text_[i_] != '\t')
                ++i_;
            return;
        }
        // Only quotes and brackets matter inside a skipped container; a
        // table lookup per byte finds them.
        static constexpr auto structural = [] {
            std::array<bool, 256> table{};
            for (unsigned char ch : {'"', '{', '}', '[', ']'})
                table[ch] = true;
            return table;
        }();
        std::size_t depth = 0;
        auto const* data = reinterpret_cast<unsigned char const*>(text_.data());
        auto const size = text_.size();
        do {
            while (i_ < size && !structural[data[i_]])
                ++i_;
            if (i_ >= size)
                return;
            char const d = text_[i_];
            if (d == '"') {
                skip_string();
                continue;
            }
            if (d == '{' || d == '[')
                ++depth;
            else
                --depth;
            ++i_;
        } while (depth > 0);
    }

    // At a key's opening quote: the key, decoded when it holds escapes.
    std::string_view read_key(std::string& buffer)
    {
        auto const start = i_ + 1;
        skip_string();
        auto const raw = text_.substr(start, i_ - 1 - start);
        if (raw.find('\\') == std::string_view::npos)
            return raw;
        buffer.clear();
        for (std::size_t k = 0; k < raw.size(); ++k) {
            if (raw[k] == '\\' && k + 1 < raw.size())
                ++k;
            buffer += raw[k];
        }
        return buffer;
    }

    std::string_view text_;
    Trie const& trie_;
    std::vector<std::size_t>& offsets_;
    std::size_t i_ = 0;
};

// Turns sorted byte offsets into lines and columns in one pass.
std::vector<Position> positions_of(std::string_view text,
                                   std::vector<std::size_t> const& offsets)
{
    std::vector<std::size_t> order(offsets.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](auto a, auto b) { return offsets[a] < offsets[b]; });

    std::vector<Position> out(offsets.size());
    std::uint32_t line = 1;
    std::size_t line_start = 0;
    std::size_t scanned = 0;
    for (auto const index : order) {
        auto const offset = offsets[index];
        if (offset == std::string_view::npos)
            break;
        while (true) {
            auto const* nl = static_cast<char const*>(
                std::memchr(text.data() + scanned, '\n', offset - scanned));
            if (!nl)
                break;
            ++line;
            scanned = static_cast<std::size_t>(nl - text.data()) + 1;
            line_start = scanned;
        }
        scanned = offset;
        std::uint32_t column = 1;
        for (auto k = line_start; k < offset; ++k)
            column += is_continuation(text[k]) ? 0 : 1;
        out[index] = Position{line, column};
    }
    return out;
}

}

std::vector<Position> locate(std::string_view text,
                             std::vector<std::string> const& pointers)
{
    if (pointers.empty())
        return {};

    Trie const trie(pointers);
    std::vector<std::size_t> offsets(pointers.size(), std::string_view::npos);
    Scanner(text, trie, offsets).run();
    return positions_of(text, offsets);
}

}
