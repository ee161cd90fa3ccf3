#include "crypto/issuer_certificate_cache.hpp"

#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace edgefetch::crypto::detail {

struct IssuerCertificateCache::Impl {
  struct Entry {
    std::string der;
    Certificate certificate;
  };
  explicit Impl(std::size_t cap) : capacity(cap) {}

  std::size_t capacity;
  mutable std::mutex mutex;
  std::list<Entry> entries;                                                // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  // views into entries' der
  std::uint64_t hits = 0;
};

IssuerCertificateCache& IssuerCertificateCache::instance() {
  static IssuerCertificateCache cache;
  return cache;
}

IssuerCertificateCache::IssuerCertificateCache(std::size_t capacity)
    : impl_(std::make_unique<Impl>(capacity == 0 ? 1 : capacity)) {}
IssuerCertificateCache::~IssuerCertificateCache() = default;

base::Expected<Certificate, Error> IssuerCertificateCache::parse(std::span<const std::uint8_t> der) {
  if (der.size() > kMaxCertificateBytes) {
    return Certificate::from_der(der);
  }
  const std::string_view key(reinterpret_cast<const char*>(der.data()), der.size());
  {
    const std::lock_guard lock(impl_->mutex);
    if (auto found = impl_->index.find(key); found != impl_->index.end()) {
      impl_->entries.splice(impl_->entries.begin(), impl_->entries, found->second);
      ++impl_->hits;
      return found->second->certificate;
    }
  }
  // Parse outside the lock: it is the slow part, and two threads parsing the
  // same bytes at once produce equal certificates (the second insert is dropped).
  auto parsed = Certificate::from_der(der);
  if (!parsed) {
    return parsed;
  }
  const std::lock_guard lock(impl_->mutex);
  if (!impl_->index.contains(key)) {
    impl_->entries.push_front(Impl::Entry{std::string(key), parsed.value()});
    impl_->index.emplace(impl_->entries.front().der, impl_->entries.begin());
    if (impl_->entries.size() > impl_->capacity) {
      impl_->index.erase(impl_->entries.back().der);
      impl_->entries.pop_back();
    }
  }
  return parsed;
}

std::size_t IssuerCertificateCache::size() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->entries.size();
}

std::uint64_t IssuerCertificateCache::hits() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->hits;
}

void IssuerCertificateCache::clear() {
  const std::lock_guard lock(impl_->mutex);
  impl_->index.clear();
  impl_->entries.clear();
}

}  // namespace edgefetch::crypto::detail
