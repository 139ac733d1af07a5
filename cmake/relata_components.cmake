# The dependencies of relata's targets (cmake/relata_targets.cmake), looked for, then the
# targets. A connector whose library is missing has no target.
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)

find_package(SQLite3)
if(NOT SQLite3_FOUND)
  message(STATUS "relata: SQLite3 not found; relata::sqlite is not available")
endif()
find_package(PostgreSQL)
if(NOT PostgreSQL_FOUND)
  message(STATUS "relata: libpq not found; relata::postgres is not available")
endif()

# cpp-httplib, for relata::rest_httplib: Debian's libcpp-httplib-dev has no CMake package.
list(APPEND CMAKE_MODULE_PATH ${CMAKE_CURRENT_LIST_DIR})  # Findhttplib.cmake
find_package(httplib)
if(NOT httplib_FOUND)
  message(STATUS "relata: cpp-httplib not found; relata::rest_httplib is not available")
endif()

include(${CMAKE_CURRENT_LIST_DIR}/relata_targets.cmake)
relata_define_targets(${PROJECT_SOURCE_DIR}/include)
