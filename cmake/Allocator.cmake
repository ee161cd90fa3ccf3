# The allocator linked into the edgefetch executable.
#
# Why not glibc's malloc: a proxied request allocates about 30 small blocks
# (coroutine frames, head fields) that live across a request while 30 other
# requests do the same, which overflows glibc's per-thread cache of 7 blocks
# per size and sends most frees through its bins: 5k of the proxy's 51k
# user-space instructions per pooled 1 KiB request (callgrind). jemalloc's
# thread cache brings that to about 1.2k (bench/README.md). Only the
# executable links it; the libraries and tests keep the system allocator, and
# sanitizer builds must (ASan replaces malloc itself).
#
#   EDGEFETCH_MALLOC=auto      jemalloc when libjemalloc-dev is installed and
#                              the build is not sanitized; else the system's
#   EDGEFETCH_MALLOC=jemalloc  jemalloc or a configure error
#   EDGEFETCH_MALLOC=system    glibc's malloc
set(EDGEFETCH_MALLOC "auto" CACHE STRING "Allocator of the edgefetch executable: auto, jemalloc or system")
set_property(CACHE EDGEFETCH_MALLOC PROPERTY STRINGS auto jemalloc system)

function(edgefetch_link_allocator target)
  set(choice "${EDGEFETCH_MALLOC}")
  if(NOT choice MATCHES "^(auto|jemalloc|system)$")
    message(FATAL_ERROR "EDGEFETCH_MALLOC must be auto, jemalloc or system, not '${choice}'")
  endif()
  if(choice STREQUAL "auto")
    if(EDGEFETCH_SANITIZE)
      set(choice system)
    else()
      find_library(EDGEFETCH_JEMALLOC_LIBRARY NAMES jemalloc)
      if(EDGEFETCH_JEMALLOC_LIBRARY)
        set(choice jemalloc)
      else()
        message(STATUS "edgefetch: libjemalloc not found, the executable uses the system malloc "
                       "(apt-get install libjemalloc-dev, or scripts/install-deps.sh)")
        set(choice system)
      endif()
    endif()
  elseif(choice STREQUAL "jemalloc")
    if(EDGEFETCH_SANITIZE)
      message(FATAL_ERROR "EDGEFETCH_MALLOC=jemalloc conflicts with EDGEFETCH_SANITIZE (ASan replaces malloc)")
    endif()
    find_library(EDGEFETCH_JEMALLOC_LIBRARY NAMES jemalloc REQUIRED)
  endif()
  if(choice STREQUAL "jemalloc")
    # No symbol of the executable names jemalloc, so --as-needed would drop it;
    # listed before libc, its malloc and free are the ones every library calls.
    target_link_libraries(${target} PRIVATE "-Wl,--push-state,--no-as-needed" "${EDGEFETCH_JEMALLOC_LIBRARY}"
                                            "-Wl,--pop-state")
  endif()
  message(STATUS "edgefetch: executable allocator: ${choice}")
  set(EDGEFETCH_MALLOC_RESOLVED "${choice}" PARENT_SCOPE)
endfunction()
