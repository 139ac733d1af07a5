# Warnings (and sanitizers) for relata's own tests, examples and benchmarks.
add_library(relata_warnings INTERFACE)
target_compile_options(relata_warnings INTERFACE -Wall -Wextra -Wpedantic
  $<$<BOOL:${RELATA_WERROR}>:-Werror>
  # GCC 12 reports false -Wrestrict overlaps inside std::string's operator+ at -O2 (GCC bug
  # 105329); the warning stays on elsewhere.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
if(RELATA_SANITIZE)
  target_compile_options(relata_warnings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(relata_warnings INTERFACE -fsanitize=address,undefined)
endif()
if(RELATA_SANITIZE_THREAD)
  target_compile_options(relata_warnings INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(relata_warnings INTERFACE -fsanitize=thread)
endif()
if(RELATA_BUILD_FUZZERS)  # coverage for libFuzzer in all of relata's code, and its sanitizers
  target_compile_options(relata_warnings INTERFACE -fsanitize=fuzzer-no-link,address,undefined
    -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(relata_warnings INTERFACE -fsanitize=address,undefined)
endif()
