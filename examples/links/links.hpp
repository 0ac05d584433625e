// gopl.io/ch5/links: Package links provides a link-extraction function.
// The crawl examples (gopl.io/ch8/crawl1-3) share it; it is built as a
// static library of its own (examples/links/CMakeLists.txt).
#pragma once

#include <string>
#include <vector>

#include <goro/error.hpp>

namespace links {

// Extract makes an HTTP GET request to the specified URL, parses
// the response as HTML, and returns the links in the HTML document.
//
// Go: func Extract(url string) ([]string, error). Every href of an <a>
// element is resolved against the URL of the request that produced the
// response (the last one, after redirects); hrefs that do not parse are
// skipped. Errors: http::get's (`Get "url": ...`), `getting URL: 404 Not
// Found` for a status other than 200, `parsing URL as HTML: ...` when the
// body cannot be read.
goro::Result<std::vector<std::string>> extract(const std::string& url);

}  // namespace links
