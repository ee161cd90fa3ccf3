#pragma once
// Client-side accounting. Every stretch of client work runs inside a
// ClientMeter::Section: it adds the thread's CPU time (CLOCK_THREAD_CPUTIME_ID)
// to the meter and, when the process runs under `valgrind --tool=callgrind
// --collect-atstart=no`, switches instruction collection on for exactly that
// stretch. Server work and the byte shuffling between the two ends stay outside,
// so callgrind counts only what the client costs. Sections must not nest.

#include <cstdint>

namespace edgefetch::bench {

/// Thread CPU time in nanoseconds.
std::int64_t thread_cpu_ns();
/// Monotonic wall time in nanoseconds.
std::int64_t wall_ns();

/// True when running under valgrind (any tool).
bool running_on_valgrind();

/// Under callgrind: writes the counts collected since the previous dump to a new
/// dump file labelled `label` (callgrind_annotate reads each dump on its own)
/// and zeroes them. A no-op otherwise.
void callgrind_dump(const char* label);

class ClientMeter {
 public:
  class Section {
   public:
    explicit Section(ClientMeter& meter);
    ~Section();
    Section(const Section&) = delete;
    Section& operator=(const Section&) = delete;

   private:
    ClientMeter& meter_;
    std::int64_t started_;
  };

  /// Off: sections measure CPU time but leave callgrind collection alone (warm-up).
  void set_collecting(bool on) { collecting_ = on; }

  [[nodiscard]] std::int64_t cpu_ns() const { return cpu_ns_; }
  void reset() { cpu_ns_ = 0; }

 private:
  std::int64_t cpu_ns_ = 0;
  bool collecting_ = true;
  bool inside_ = false;
};

}  // namespace edgefetch::bench
