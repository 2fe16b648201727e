#pragma once

#include "util/error.hpp"

#include <string>

namespace byos {

// Reads a whole regular file. A missing file, a directory or an unreadable
// file is an Error naming the path.
Result<std::string> read_text_file(std::string const& path);

// Writes `content` to `path` so that a reader sees either the old file or
// the whole new one: the bytes go to a temporary file in the same folder,
// which is flushed and then renamed over `path`. An existing target that
// is not a regular file (/dev/null, a pipe) is written in place instead.
Status write_file_atomically(std::string const& path,
                             std::string const& content);

}
