#pragma once
// Runs one coroutine to completion on a private io_context (tests only).

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>

namespace edgefetch::net::test {

/// Runs `work` on `io` until it completes. Use this overload when the result
/// holds I/O objects (a connected socket): `io` must outlive them.
template <class T>
T run_awaitable(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  std::optional<T> result;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr error, T value) {
    failure = error;
    if (!error) result.emplace(std::move(value));
  });
  io.restart();
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

/// Runs `work` on a private io_context (results must not hold I/O objects).
template <class T>
T run_awaitable(boost::asio::awaitable<T> work) {
  boost::asio::io_context io;
  return run_awaitable(io, std::move(work));
}

}  // namespace edgefetch::net::test
