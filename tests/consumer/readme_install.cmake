# Runs the README's install command as written there (the line of its CMake section holding
# `cmake --install`), with two substitutions: the destination /usr/local becomes PREFIX, and
# its build directory build-install becomes BUILD, outside the source tree.
#   cmake -DSOURCE=<relata source> -DPREFIX=<prefix> -DBUILD=<dir> -DCACHE=<initial cache>
#         -P readme_install.cmake
file(STRINGS ${SOURCE}/README.md lines)
set(command "")
foreach(line IN LISTS lines)
  if(line MATCHES "cmake --install")
    set(command "${line}")
    break()
  endif()
endforeach()
if(command STREQUAL "")
  message(FATAL_ERROR "README.md has no line with `cmake --install`")
endif()
string(REPLACE "/usr/local" "${PREFIX}" command "${command}")
string(REPLACE "build-install" "${BUILD}" command "${command}")
# The consumer projects' compiler and search paths (the initial cache the other tests use).
string(REPLACE "cmake -S . " "cmake -C ${CACHE} -S . " command "${command}")
message(STATUS "running: ${command}")
execute_process(COMMAND sh -c "${command}" WORKING_DIRECTORY ${SOURCE} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the README's install command failed (${result})")
endif()
if(NOT EXISTS ${PREFIX}/include/relata/relata.hpp OR
   NOT EXISTS ${PREFIX}/lib/cmake/relata/relataConfig.cmake)
  message(FATAL_ERROR "the README's install command did not install relata into ${PREFIX}")
endif()
