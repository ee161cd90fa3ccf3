// The access log sink: a file (or stdout) written one whole line per write(2).

#include "edgefetch/edge/access_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>

namespace edgefetch::edge {

struct AccessLog::Impl {
  int fd = -1;
  bool owns_fd = false;
  std::mutex mutex;  // serialises writers so lines never interleave, even on pipes
  std::atomic<uint64_t> write_errors{0};

  ~Impl() {
    if (owns_fd && fd >= 0) {
      ::close(fd);
    }
  }

  // Writes all of `data`, retrying partial writes and EINTR. False on error.
  bool write_all(std::string_view data) const {
    while (!data.empty()) {
      const ssize_t n = ::write(fd, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        return false;
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
};

AccessLog::AccessLog(PassKey /*key*/, std::unique_ptr<Impl> impl, AccessLogFormat format)
    : impl_(std::move(impl)), format_(format) {}

AccessLog::~AccessLog() = default;

base::Expected<std::unique_ptr<AccessLog>, std::string> AccessLog::open(const std::string& path,
                                                                        AccessLogFormat format) {
  auto impl = std::make_unique<Impl>();
  bool write_header = format == AccessLogFormat::tsv;
  if (path == "-") {
    impl->fd = STDOUT_FILENO;
  } else {
    if (path.empty()) {
      return base::unexpected(std::string("access log: empty path (use \"-\" for stdout)"));
    }
    // O_APPEND: several processes (or a restarted edge) may share one log file.
    impl->fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (impl->fd < 0) {
      return base::unexpected("cannot open access log " + path + ": " + std::strerror(errno));
    }
    impl->owns_fd = true;
    struct stat st {};
    if (::fstat(impl->fd, &st) != 0) {
      return base::unexpected("cannot stat access log " + path + ": " + std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
      return base::unexpected("cannot open access log " + path + ": is a directory");
    }
    // Appending to an existing log: its header is already there.
    write_header = write_header && (!S_ISREG(st.st_mode) || st.st_size == 0);
  }
  if (write_header && !impl->write_all(header_lines())) {
    return base::unexpected("cannot write access log " + path + ": " + std::strerror(errno));
  }
  return std::make_unique<AccessLog>(PassKey{}, std::move(impl), format);
}

void AccessLog::write(const AccessLogEntry& entry) {
  // Format outside the lock: only the write(2) is serialised.
  const std::string line = format_ == AccessLogFormat::json ? format_json(entry) : format_tsv(entry);
  const std::lock_guard lock(impl_->mutex);
  if (!impl_->write_all(line)) {
    impl_->write_errors.fetch_add(1, std::memory_order_relaxed);
  }
}

uint64_t AccessLog::write_errors() const noexcept {
  return impl_->write_errors.load(std::memory_order_relaxed);
}

}  // namespace edgefetch::edge
