#include "net/url.hpp"

#include "util/strings.hpp"

#include <cctype>

namespace byos::net {

std::string Url::origin() const
{
    auto const default_port = tls ? "443" : "80";
    bool const ipv6 = host.find(':') != std::string::npos;
    std::string out = tls ? "https://" : "http://";
    out += ipv6 ? "[" + host + "]" : host;
    if (port != default_port)
        out += ":" + port;
    return out;
}

Result<Url> parse_url(std::string_view text)
{
    auto const bad = [&](std::string const& why) {
        return Error{"", "", "'" + std::string(text) + "' is not a URL: " + why};
    };
    Url url;
    std::string_view rest;
    if (istarts_with(text, "https://")) {
        rest = text.substr(8);
    } else if (istarts_with(text, "http://")) {
        url.tls = false;
        rest = text.substr(7);
    } else {
        return bad("expected http:// or https://");
    }

    auto const slash = rest.find_first_of("/?#");
    auto authority = rest.substr(0, slash);
    url.target = slash == std::string_view::npos ? "/" : rest.substr(slash);
    if (url.target.front() != '/')
        url.target.insert(url.target.begin(), '/');
    if (auto const hash = url.target.find('#'); hash != std::string::npos)
        url.target.erase(hash);
    if (authority.find('@') != std::string_view::npos)
        return bad("user information is not allowed");

    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        auto const close = authority.find(']');
        if (close == std::string_view::npos)
            return bad("unclosed IPv6 address");
        url.host = authority.substr(1, close - 1);
        auto const after = authority.substr(close + 1);
        if (!after.empty() && after.front() != ':')
            return bad("unexpected text after the IPv6 address");
        if (!after.empty())
            port = after.substr(1);
    } else {
        auto const colon = authority.rfind(':');
        url.host = authority.substr(0, colon);
        if (colon != std::string_view::npos)
            port = authority.substr(colon + 1);
    }
    if (url.host.empty())
        return bad("no host");
    url.host = to_lower(url.host);

    if (port.empty()) {
        url.port = url.tls ? "443" : "80";
    } else {
        if (port.size() > 5)
            return bad("bad port");
        for (char c : port)
            if (!std::isdigit(static_cast<unsigned char>(c)))
                return bad("bad port");
        if (std::stoi(std::string(port)) > 65535 ||
            std::stoi(std::string(port)) == 0)
            return bad("bad port");
        url.port = port;
    }
    return url;
}

Result<Url> join(std::string_view base, std::string_view path)
{
    auto url = parse_url(base);
    if (!url)
        return url;
    auto& target = url->target;
    if (auto const query = target.find('?'); query != std::string::npos)
        target.erase(query);
    while (!target.empty() && target.back() == '/')
        target.pop_back();
    while (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    target += "/";
    target += path;
    return url;
}

std::string url_encode(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

}
