# Warnings (and sanitizers) for relata's own tests, examples and benchmarks.
add_library(relata_warnings INTERFACE)
target_compile_options(relata_warnings INTERFACE -Wall -Wextra -Wpedantic
  $<$<BOOL:${RELATA_WERROR}>:-Werror>)
if(RELATA_SANITIZE)
  target_compile_options(relata_warnings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(relata_warnings INTERFACE -fsanitize=address,undefined)
endif()
