# relata's targets, defined the same way for a build of relata's source tree (top level or
# add_subdirectory) and for an installed relata (find_package, through relataConfig.cmake):
#
#   relata::relata       the core, with its engine compiled once in this build tree (a static
#                        library); users compile only declarations and their models' templates
#                        (RELATA_SEPARATE_COMPILATION). The memory connector is part of it.
#   relata::memory       the same target, named for the connector it brings.
#   relata::sqlite       relata::relata, SQLite's connector compiled once, and libsqlite3.
#   relata::postgres     relata::relata, PostgreSQL's connector compiled once, and libpq.
#   relata::rest         relata::relata and the REST core (relata/rest.hpp) compiled once.
#   relata::rest_httplib relata::rest and cpp-httplib, for relata/rest/httplib.hpp.
#   relata::header_only  the headers alone, no library: every translation unit compiles the
#                        engine parts it uses. Link SQLite::SQLite3 or PostgreSQL::PostgreSQL
#                        yourself for those connectors.
#
# A connector's targets exist only when its library was found. The engine libraries are built
# from one-line translation units written into this build tree (relata-engine/), with this
# tree's compiler and flags, so they always match the program that links them.

# relata_define_targets(<include directory>): Boost, nlohmann_json, and optionally SQLite3,
# PostgreSQL and httplib (Findhttplib.cmake) must have been looked for.
function(relata_define_targets include_dir)
  if(TARGET relata_header_only)
    return()  # a second find_package in the same build: the targets exist
  endif()

  add_library(relata_header_only INTERFACE)
  add_library(relata::header_only ALIAS relata_header_only)
  target_include_directories(relata_header_only INTERFACE ${include_dir})
  target_compile_features(relata_header_only INTERFACE cxx_std_20)
  target_link_libraries(relata_header_only INTERFACE Boost::headers nlohmann_json::nlohmann_json)

  set(sources ${CMAKE_BINARY_DIR}/relata-engine)
  file(CONFIGURE OUTPUT ${sources}/core.cpp CONTENT
       "// relata's engine core, compiled once (cmake/relata_targets.cmake).\n#include <relata/engine.hpp>\n")
  add_library(relata_engine STATIC ${sources}/core.cpp)
  target_link_libraries(relata_engine PUBLIC relata_header_only)
  target_compile_definitions(relata_engine PUBLIC RELATA_SEPARATE_COMPILATION)
  set_target_properties(relata_engine PROPERTIES POSITION_INDEPENDENT_CODE ON)

  add_library(relata INTERFACE)
  add_library(relata::relata ALIAS relata)
  add_library(relata::memory ALIAS relata)
  target_link_libraries(relata INTERFACE relata_engine)

  foreach(connector sqlite postgres)
    if(connector STREQUAL "sqlite")
      set(found ${SQLite3_FOUND})
      set(library SQLite::SQLite3)
      set(part RELATA_ENGINE_SQLITE)
    else()
      set(found ${PostgreSQL_FOUND})
      set(library PostgreSQL::PostgreSQL)
      set(part RELATA_ENGINE_POSTGRES)
    endif()
    if(NOT found)
      continue()
    endif()
    file(CONFIGURE OUTPUT ${sources}/${connector}.cpp CONTENT
         "// relata's ${connector} connector, compiled once (cmake/relata_targets.cmake).\n#define ${part} 1\n#include <relata/${connector}.hpp>\n")
    add_library(relata_${connector}_engine STATIC ${sources}/${connector}.cpp)
    target_link_libraries(relata_${connector}_engine PUBLIC relata_engine ${library})
    set_target_properties(relata_${connector}_engine PROPERTIES POSITION_INDEPENDENT_CODE ON)
    add_library(relata_${connector} INTERFACE)
    add_library(relata::${connector} ALIAS relata_${connector})
    target_link_libraries(relata_${connector} INTERFACE relata relata_${connector}_engine)
  endforeach()

  # REST: its core needs no library of its own; its cpp-httplib binding needs httplib.
  file(CONFIGURE OUTPUT ${sources}/rest.cpp CONTENT
       "// relata's REST core, compiled once (cmake/relata_targets.cmake).\n#define RELATA_ENGINE_REST 1\n#include <relata/rest.hpp>\n")
  add_library(relata_rest_engine STATIC ${sources}/rest.cpp)
  target_link_libraries(relata_rest_engine PUBLIC relata_engine)
  set_target_properties(relata_rest_engine PROPERTIES POSITION_INDEPENDENT_CODE ON)
  add_library(relata_rest INTERFACE)
  add_library(relata::rest ALIAS relata_rest)
  target_link_libraries(relata_rest INTERFACE relata relata_rest_engine)
  if(httplib_FOUND)
    add_library(relata_rest_httplib INTERFACE)
    add_library(relata::rest_httplib ALIAS relata_rest_httplib)
    target_link_libraries(relata_rest_httplib INTERFACE relata_rest httplib::httplib)
  endif()
endfunction()
