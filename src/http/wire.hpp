// goro::http internal — small helpers for writing HTTP/1.x on the wire:
// the chunked encoder, the Date header value, header serialisation.
//
// Pure functions over values; the Date cache is per thread and only used
// within one call (no goroutine switch in between), so it needs no lock.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "goro/http.hpp"

namespace goro::http::detail {

// Appends "<hex size>\r\n" (the start of a chunk of n > 0 bytes).
void append_chunk_header(std::string& out, std::size_t n);
// Appends one whole chunk: size line, data, CRLF. Nothing for empty data.
void append_chunk(std::string& out, std::string_view data);
// The last chunk and the end of a chunked body.
inline constexpr std::string_view last_chunk = "0\r\n\r\n";

// "Mon, 02 Jan 2006 15:04:05 GMT" for now (http.TimeFormat).
std::string_view http_date_now();

// Appends "Key: value\r\n" for every header value, skipping values with CR
// or LF (header injection), as Go's Header.Write does by replacing them.
void append_headers(std::string& out, const Header& h);

// Case-insensitive ASCII comparison and token search in a comma list
// ("keep-alive, Upgrade" has "upgrade").
bool equal_fold(std::string_view a, std::string_view b);
bool has_token(std::string_view list, std::string_view token);

}  // namespace goro::http::detail
