#include "support/client_meter.hpp"

#include <time.h>

#include <cstdio>
#include <cstdlib>

// The valgrind client-request macros expand to old-style casts and inline asm.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define EDGEFETCH_BENCH_HAVE_VALGRIND 1
#endif

namespace {

void toggle_collect() {
#ifdef EDGEFETCH_BENCH_HAVE_VALGRIND
  CALLGRIND_TOGGLE_COLLECT;
#endif
}

void dump_stats(const char* label) {
#ifdef EDGEFETCH_BENCH_HAVE_VALGRIND
  CALLGRIND_DUMP_STATS_AT(label);
#else
  (void)label;
#endif
}

bool on_valgrind() {
#ifdef EDGEFETCH_BENCH_HAVE_VALGRIND
  return RUNNING_ON_VALGRIND != 0;
#else
  return false;
#endif
}

}  // namespace
#pragma GCC diagnostic pop

namespace edgefetch::bench {
namespace {

std::int64_t read_clock(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

std::int64_t thread_cpu_ns() {
  return read_clock(CLOCK_THREAD_CPUTIME_ID);
}
std::int64_t wall_ns() {
  return read_clock(CLOCK_MONOTONIC);
}

bool running_on_valgrind() {
  return on_valgrind();
}

void callgrind_dump(const char* label) {
  dump_stats(label);
}

ClientMeter::Section::Section(ClientMeter& meter) : meter_(meter), started_(0) {
  if (meter_.inside_) {
    std::fprintf(stderr, "bench: nested client sections\n");
    std::abort();
  }
  meter_.inside_ = true;
  started_ = thread_cpu_ns();
  if (meter_.collecting_) toggle_collect();
}

ClientMeter::Section::~Section() {
  if (meter_.collecting_) toggle_collect();
  meter_.cpu_ns_ += thread_cpu_ns() - started_;
  meter_.inside_ = false;
}

}  // namespace edgefetch::bench
