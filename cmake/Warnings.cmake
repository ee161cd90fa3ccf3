function(edgefetch_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual)
  if(EDGEFETCH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
