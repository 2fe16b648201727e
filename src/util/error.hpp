#pragma once

// One error model for the input and engine layers: a failure that a user can
// fix, naming the file and where in it, carried up as a value to the single
// catch-free exit in main.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace byos {

struct Error
{
    std::string file;    // path as the user gave it; empty when none
    std::string where;   // "line 3, column 7" or a JSON pointer; may be empty
    std::string message; // what is wrong, lower case, no trailing period

    // "FILE: WHERE: MESSAGE", leaving out the empty parts.
    std::string describe() const;
};

// A value or the Error that prevented it.
template <class T>
class Result
{
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() { return std::get<0>(state_); }
    T const& value() const { return std::get<0>(state_); }
    T& operator*() { return value(); }
    T const& operator*() const { return value(); }
    T* operator->() { return &value(); }
    T const* operator->() const { return &value(); }

    Error const& error() const { return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

// For operations that return nothing on success.
using Status = std::optional<Error>;

}
