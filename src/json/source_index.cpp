#include "json/source_index.hpp"

#include <algorithm>
#include <unordered_map>

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

// One open container while scanning.
struct Frame
{
    bool is_array = false;
    std::size_t index = 0; // next element index, arrays only
    std::string key;       // key of the value being read, objects only
};

class Scanner
{
public:
    Scanner(std::string_view text,
            std::unordered_map<std::string, std::size_t> const& wanted,
            std::vector<Position>& found)
        : text_(text), wanted_(wanted), found_(found)
    {
        for (auto const& [pointer, slot] : wanted)
            max_depth_ = std::max(max_depth_, depth_of(pointer));
    }

    void run()
    {
        value_start();
        while (true) {
            skip_blanks();
            if (i_ >= text_.size())
                break;
            char const c = text_[i_];
            if (c == '"') {
                read_string();
                continue;
            }
            advance();
            if (c == '{' || c == '[')
                open(c == '[');
            else if (c == '}' || c == ']')
                close();
            else if (c == ',')
                next_element();
        }
    }

private:
    static std::size_t depth_of(std::string const& pointer)
    {
        return static_cast<std::size_t>(
            std::count(pointer.begin(), pointer.end(), '/'));
    }

    void advance()
    {
        if (!is_continuation(text_[i_]))
            ++column_;
        ++i_;
    }

    // Called where a value may begin: skips blanks and records its position
    // when its pointer is wanted.
    void value_start()
    {
        skip_blanks();
        if (stack_.size() > max_depth_ || i_ >= text_.size())
            return;
        std::string pointer;
        for (auto const& frame : stack_) {
            if (frame.is_array)
                append_pointer_index(pointer, frame.index);
            else
                append_pointer_token(pointer, frame.key);
        }
        auto const it = wanted_.find(pointer);
        if (it != wanted_.end())
            found_[it->second] = Position{line_, column_};
    }

    void skip_blanks()
    {
        while (i_ < text_.size()) {
            char const c = text_[i_];
            if (c == '\n') {
                ++line_;
                column_ = 1;
                ++i_;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                advance();
            } else {
                break;
            }
        }
    }

    void open(bool is_array)
    {
        stack_.push_back(Frame{is_array, 0, {}});
        if (is_array)
            value_start();
    }

    void close()
    {
        if (!stack_.empty())
            stack_.pop_back();
    }

    void next_element()
    {
        if (stack_.empty())
            return;
        if (stack_.back().is_array) {
            ++stack_.back().index;
            value_start();
        }
        // In an object the next key follows; its value starts after ':'.
    }

    // Reads a string; when it is an object key, remembers it and records
    // the start of the value that follows the colon.
    void read_string()
    {
        advance();
        std::string decoded;
        while (i_ < text_.size() && text_[i_] != '"') {
            char c = text_[i_];
            if (c == '\\' && i_ + 1 < text_.size()) {
                advance();
                c = text_[i_];
                decoded += c == 'n' ? '\n' : c == 't' ? '\t' : c;
            } else {
                decoded += c;
            }
            advance();
        }
        advance();

        if (stack_.empty() || stack_.back().is_array)
            return;
        skip_blanks();
        if (i_ < text_.size() && text_[i_] == ':') {
            stack_.back().key = std::move(decoded);
            advance();
            value_start();
        }
    }

    std::string_view text_;
    std::unordered_map<std::string, std::size_t> const& wanted_;
    std::vector<Position>& found_;
    std::vector<Frame> stack_;
    std::size_t max_depth_ = 0;
    std::size_t i_ = 0;
    std::uint32_t line_ = 1;
    std::uint32_t column_ = 1;
};

}

std::vector<Position> locate(std::string_view text,
                             std::vector<std::string> const& pointers)
{
    std::vector<Position> found(pointers.size());
    if (pointers.empty())
        return found;

    std::unordered_map<std::string, std::size_t> wanted;
    wanted.reserve(pointers.size());
    for (std::size_t i = 0; i < pointers.size(); ++i)
        wanted.emplace(pointers[i], i);

    Scanner(text, wanted, found).run();
    return found;
}

}
