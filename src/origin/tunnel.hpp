#pragma once
// The state behind an OriginTunnel (client.hpp): the origin connection an
// exchange handed over after a 101, and the pool that still counts it active.

#include <memory>

#include "connection.hpp"
#include "edgefetch/origin/client.hpp"
#include "pool.hpp"

namespace edgefetch::origin {

struct OriginTunnel::Impl {
  Impl(std::shared_ptr<Pool> owner, std::unique_ptr<Connection> taken);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  Impl(Impl&&) = delete;
  Impl& operator=(Impl&&) = delete;

  std::shared_ptr<Pool> pool;
  std::unique_ptr<Connection> connection;
};

}  // namespace edgefetch::origin
