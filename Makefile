# edgefetch — every target does its own set-up (packages, configure, build).
#   make demo    run the main job on embedded local sample origins
#   make test    build and run the whole suite (Release, then ASan+UBSan, then fuzzers)
#   make build   build/edgefetch
#   make bench   benchmarks (not part of the tests)
#   make fuzz    long fuzz campaigns (FUZZ_SECONDS per harness)

BUILD       ?= build
ASAN_BUILD  ?= build-asan
FUZZ_BUILD  ?= build-fuzz
JOBS        ?= $(shell nproc)
FUZZ_SECONDS ?= 600
CMAKE_FLAGS ?=
CTEST_FLAGS ?= --output-on-failure -j $(JOBS)

# ccache keyed on paths relative to the checkout, so a fresh clone in another
# folder reuses the compile cache of an earlier one.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps build demo test test-release test-asan test-fuzz bench fuzz format tidy clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEDGEFETCH_WERROR=ON $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD)/edgefetch

test: test-release test-asan test-fuzz
	@echo "make test: all suites passed"

test-release: build
	cd $(BUILD) && ctest $(CTEST_FLAGS)

$(ASAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DEDGEFETCH_WERROR=ON \
	  -DEDGEFETCH_SANITIZE=ON -DEDGEFETCH_BENCH=OFF $(CMAKE_FLAGS)

test-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest $(CTEST_FLAGS) -LE slow

$(FUZZ_BUILD)/build.ninja: | deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DEDGEFETCH_FUZZ=ON -DEDGEFETCH_WERROR=ON $(CMAKE_FLAGS)

test-fuzz: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	cd $(FUZZ_BUILD) && ctest $(CTEST_FLAGS) --no-tests=error

fuzz: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	cmake -S . -B $(FUZZ_BUILD) -DEDGEFETCH_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cd $(FUZZ_BUILD) && ctest --output-on-failure -j 1 --timeout $$(( $(FUZZ_SECONDS) + 120 ))

bench: build
	@bash bench/run.sh $(BUILD)

format:
	find include src tests bench -name '*.hpp' -o -name '*.cpp' | xargs clang-format -i

# clang-tidy 14 does not see Asio's C++20 coroutine support with libstdc++ (it
# looks for <experimental/coroutine>): without the two defines every file with an
# awaitable stops at "no template named 'awaitable'".
TIDY_ARGS = --quiet --extra-arg=-DBOOST_ASIO_HAS_CO_AWAIT=1 --extra-arg=-DBOOST_ASIO_HAS_STD_COROUTINE=1

tidy: build
	find src -name '*.cpp' | xargs -P $(JOBS) -n 4 clang-tidy -p $(BUILD) $(TIDY_ARGS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
