#include <cstdint>
#include <ctime>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "edgefetch/crypto/x509.hpp"

namespace edgefetch::crypto {

// Key: the name, then each certificate as a 4-byte length and its exact DER.
// Keys are compared in full (std::string equality), so a hash collision can
// never return another chain's result.
namespace {
std::string cache_key(std::span<const std::vector<std::uint8_t>> chain, std::string_view name) {
  std::size_t total = name.size() + 1;
  for (const auto& der : chain) {
    total += 4 + der.size();
  }
  std::string key;
  key.reserve(total);
  key.append(name);
  key.push_back('\0');
  for (const auto& der : chain) {
    const auto n = static_cast<std::uint32_t>(der.size());
    key.push_back(static_cast<char>(n >> 24));
    key.push_back(static_cast<char>(n >> 16));
    key.push_back(static_cast<char>(n >> 8));
    key.push_back(static_cast<char>(n));
    key.append(reinterpret_cast<const char*>(der.data()), der.size());
  }
  return key;
}
}  // namespace

struct VerifiedChainCache::Impl {
  struct Entry {
    std::string key;
    std::time_t valid_from;
    std::time_t valid_until;
    VerifiedChain result;
  };
  std::size_t capacity;
  mutable std::mutex mutex;
  mutable std::list<Entry> lru;                                            // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  // views into Entry::key
  mutable std::uint64_t hits = 0;
};

VerifiedChainCache::VerifiedChainCache(std::size_t capacity) : impl_(std::make_unique<Impl>()) {
  impl_->capacity = capacity == 0 ? 1 : capacity;
}
VerifiedChainCache::~VerifiedChainCache() = default;

std::optional<VerifiedChain> VerifiedChainCache::find(std::span<const std::vector<std::uint8_t>> chain,
                                                      std::string_view name, std::time_t at) const {
  const std::string key = cache_key(chain, name);
  std::lock_guard lock(impl_->mutex);
  const auto found = impl_->index.find(key);
  if (found == impl_->index.end()) {
    return std::nullopt;
  }
  const auto& entry = *found->second;
  // Outside the chain's validity window the full verification runs again and
  // reports the expiry (or not-yet-valid) properly.
  if (at < entry.valid_from || at > entry.valid_until) {
    return std::nullopt;
  }
  impl_->lru.splice(impl_->lru.begin(), impl_->lru, found->second);
  ++impl_->hits;
  VerifiedChain result = entry.result;
  result.from_cache = true;
  return result;
}

void VerifiedChainCache::insert(std::span<const std::vector<std::uint8_t>> chain, std::string_view name,
                                std::time_t valid_from, std::time_t valid_until,
                                const VerifiedChain& result) {
  std::string key = cache_key(chain, name);
  std::lock_guard lock(impl_->mutex);
  if (const auto found = impl_->index.find(key); found != impl_->index.end()) {
    const auto position = found->second;
    impl_->index.erase(found);
    impl_->lru.erase(position);
  }
  while (impl_->lru.size() >= impl_->capacity) {
    impl_->index.erase(impl_->lru.back().key);
    impl_->lru.pop_back();
  }
  impl_->lru.push_front(Impl::Entry{std::move(key), valid_from, valid_until, result});
  impl_->lru.front().result.from_cache = false;
  impl_->index.emplace(impl_->lru.front().key, impl_->lru.begin());
}

void VerifiedChainCache::clear() {
  std::lock_guard lock(impl_->mutex);
  impl_->index.clear();
  impl_->lru.clear();
}

std::size_t VerifiedChainCache::size() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->lru.size();
}

std::uint64_t VerifiedChainCache::hits() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->hits;
}

}  // namespace edgefetch::crypto
