function(edgefetch_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual)
  # GCC 12 at -O2 reports -Wmismatched-new-delete on Boost.Asio coroutine frames
  # (awaitable_frame_base pairs its own operator new/delete; the diagnostic is a
  # false positive of how GCC inlines the frame's deallocation, and which files
  # trip it changes with unrelated inlining decisions). A real mismatch is still
  # caught at run time by the AddressSanitizer build (alloc-dealloc-mismatch).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-mismatched-new-delete)
  endif()
  if(EDGEFETCH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
