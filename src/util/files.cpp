#include "util/files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace byos {

std::string Error::describe() const
{
    std::string out;
    for (auto const* part : {&file, &where, &message}) {
        if (part->empty())
            continue;
        if (!out.empty())
            out += ": ";
        out += *part;
    }
    return out;
}

Result<std::string> read_text_file(std::string const& path)
{
    int const fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error{path, "", std::strerror(errno)};

    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return Error{path, "",
                     S_ISDIR(info.st_mode) ? "is a directory"
                                           : "is not a regular file"};
    }

    std::string text;
    text.resize(static_cast<std::size_t>(info.st_size));
    std::size_t done = 0;
    while (done < text.size()) {
        auto const n = ::read(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            auto const reason =
                n < 0 ? std::strerror(errno) : "file shrank while being read";
            ::close(fd);
            return Error{path, "", reason};
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return text;
}

Status write_file_atomically(std::string const& path,
                             std::string const& content)
{
    std::string tmp = path + ".tmp-XXXXXX";
    int const fd = ::mkstemp(tmp.data());
    if (fd < 0)
        return Error{path, "",
                     std::string("cannot create a temporary "
                                 "file: ") +
                         std::strerror(errno)};

    std::size_t done = 0;
    while (done < content.size()) {
        auto const n =
            ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            auto const err = std::string(std::strerror(errno));
            ::close(fd);
            ::unlink(tmp.c_str());
            return Error{path, "", "cannot write: " + err};
        }
        done += static_cast<std::size_t>(n);
    }

    // mkstemp creates the file 0600; a report is meant to be shared.
    ::fchmod(fd, 0644);
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        auto const err = std::string(std::strerror(errno));
        ::unlink(tmp.c_str());
        return Error{path, "", "cannot write: " + err};
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        auto const err = std::string(std::strerror(errno));
        ::unlink(tmp.c_str());
        return Error{path, "", "cannot replace: " + err};
    }
    return std::nullopt;
}

}
