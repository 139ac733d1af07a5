# The INTERFACE targets: relata::relata (the core), relata::sqlite, relata::postgres,
# relata::rest (REST and OpenAPI, no library of its own) and relata::rest_httplib (its
# cpp-httplib binding). Each target pulls in only its own library.

find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)

add_library(relata INTERFACE)
add_library(relata::relata ALIAS relata)
target_include_directories(relata INTERFACE
  $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(relata INTERFACE cxx_std_20)
target_link_libraries(relata INTERFACE Boost::headers nlohmann_json::nlohmann_json)

find_package(SQLite3)
if(SQLite3_FOUND)
  add_library(relata_sqlite INTERFACE)
  add_library(relata::sqlite ALIAS relata_sqlite)
  set_target_properties(relata_sqlite PROPERTIES EXPORT_NAME sqlite)
  target_link_libraries(relata_sqlite INTERFACE relata SQLite::SQLite3)
else()
  message(STATUS "relata: SQLite3 not found; relata::sqlite is not available")
endif()

find_package(PostgreSQL)
if(PostgreSQL_FOUND)
  add_library(relata_postgres INTERFACE)
  add_library(relata::postgres ALIAS relata_postgres)
  set_target_properties(relata_postgres PROPERTIES EXPORT_NAME postgres)
  target_link_libraries(relata_postgres INTERFACE relata PostgreSQL::PostgreSQL)
else()
  message(STATUS "relata: libpq not found; relata::postgres is not available")
endif()

# REST: the core maps requests to responses without network code, so it needs only relata.
add_library(relata_rest INTERFACE)
add_library(relata::rest ALIAS relata_rest)
set_target_properties(relata_rest PROPERTIES EXPORT_NAME rest)
target_link_libraries(relata_rest INTERFACE relata)

# Its cpp-httplib binding (Debian's libcpp-httplib-dev has no CMake package: Findhttplib.cmake).
list(APPEND CMAKE_MODULE_PATH ${CMAKE_CURRENT_LIST_DIR})
find_package(httplib)
if(httplib_FOUND)
  add_library(relata_rest_httplib INTERFACE)
  add_library(relata::rest_httplib ALIAS relata_rest_httplib)
  set_target_properties(relata_rest_httplib PROPERTIES EXPORT_NAME rest_httplib)
  target_link_libraries(relata_rest_httplib INTERFACE relata_rest httplib::httplib)
else()
  message(STATUS "relata: cpp-httplib not found; relata::rest_httplib is not available")
endif()
