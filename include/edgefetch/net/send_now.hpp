#pragma once
// The synchronous fast path of a write. An asynchronous write that the socket
// could take at once still costs an operation, a trip through the scheduler
// and a coroutine resumption; on loopback and in keep-alive traffic almost
// every write is such a write. send_now() tries first, without waiting, and
// the caller awaits an ordinary asynchronous write only for what is left.

#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <span>

namespace edgefetch::net {

/// One non-blocking sendmsg (MSG_DONTWAIT | MSG_NOSIGNAL) of as much of
/// `buffers` as the socket takes now: the bytes sent; 0 with `ec` clear when it
/// would block (or `buffers` is empty); 0 with `ec` set on an error (EPIPE,
/// ECONNRESET, a closed descriptor...). Takes at most the first 64 buffers.
std::size_t send_now(int fd, std::span<const boost::asio::const_buffer> buffers,
                     boost::system::error_code& ec);

/// Drops the first `n` bytes of `buffers` in place: whole buffers from the
/// front, then the start of the next. `n` must not exceed the total size.
void consume_front(std::span<boost::asio::const_buffer>& buffers, std::size_t n);

}  // namespace edgefetch::net
