// bufio's sentinel errors, created once and compared by identity.
#include "goro/bufio.hpp"

namespace goro::bufio {

const Error err_invalid_unread_byte = errors::make("bufio: invalid use of UnreadByte");
const Error err_buffer_full = errors::make("bufio: buffer full");
const Error err_negative_count = errors::make("bufio: negative count");
const Error err_too_long = errors::make("bufio.Scanner: token too long");
const Error err_advance_too_far =
    errors::make("bufio.Scanner: SplitFunc returns advance count beyond input");
const Error err_no_progress = errors::make("bufio.Scan: too many empty tokens without progressing");
const Error err_final_token = errors::make("final token");

}  // namespace goro::bufio
