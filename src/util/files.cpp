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

namespace {

// Writes all of `content` to `fd`; 0 on success, else the errno.
int write_all(int fd, std::string const& content)
{
    std::size_t done = 0;
    while (done < content.size()) {
        auto const n =
            ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        done += static_cast<std::size_t>(n);
    }
    return 0;
}

Error write_error(std::string const& path, char const* what, int err)
{
    return Error{path, "", std::string(what) + std::strerror(err)};
}

// Writes straight into an existing target that is not a regular file (a
// device such as /dev/null, a pipe): renaming a temporary file over it
// would replace the device itself.
Status write_in_place(std::string const& path, std::string const& content)
{
    int const fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        return write_error(path, "cannot open: ", errno);
    auto const err = write_all(fd, content);
    ::close(fd);
    if (err)
        return write_error(path, "cannot write: ", err);
    return std::nullopt;
}

}

Status write_file_atomically(std::string const& path,
                             std::string const& content)
{
    struct stat info
    {
    };
    if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
        if (S_ISDIR(info.st_mode))
            return Error{path, "", "is a directory"};
        return write_in_place(path, content);
    }

    std::string tmp = path + ".tmp-XXXXXX";
    int const fd = ::mkstemp(tmp.data());
    if (fd < 0)
        return write_error(path, "cannot create a temporary file: ", errno);

    // mkstemp creates the file 0600; a report is meant to be shared.
    auto err = write_all(fd, content);
    if (!err && (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0))
        err = errno;
    if (::close(fd) != 0 && !err)
        err = errno;
    if (!err && ::rename(tmp.c_str(), path.c_str()) != 0)
        err = errno;
    if (err) {
        ::unlink(tmp.c_str());
        return write_error(path, "cannot write: ", err);
    }
    return std::nullopt;
}

}
