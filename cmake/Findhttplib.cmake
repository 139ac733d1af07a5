# Finds cpp-httplib as Debian's libcpp-httplib-dev installs it: httplib.h and a compiled
# library, with a pkg-config file but no CMake package. Defines the imported target
# httplib::httplib, and httplib_FOUND / httplib_VERSION.
#
# The library's classes depend on the definitions it was compiled with (OpenSSL, zlib and
# Brotli support), so the target carries them, read from the library's pkg-config file.
if(TARGET httplib::httplib)
  set(httplib_FOUND TRUE)
  return()
endif()

find_path(httplib_INCLUDE_DIR httplib.h)
find_library(httplib_LIBRARY NAMES cpp-httplib)

if(httplib_INCLUDE_DIR AND EXISTS ${httplib_INCLUDE_DIR}/httplib.h)
  file(STRINGS ${httplib_INCLUDE_DIR}/httplib.h _httplib_version_line
       REGEX "^#define CPPHTTPLIB_VERSION \"[0-9.]+\"")
  string(REGEX REPLACE ".*\"([0-9.]+)\".*" "\\1" httplib_VERSION "${_httplib_version_line}")
endif()

set(_httplib_definitions "")
if(httplib_LIBRARY)
  get_filename_component(_httplib_libdir ${httplib_LIBRARY} DIRECTORY)
  find_file(httplib_PKG_CONFIG_FILE cpp-httplib.pc HINTS ${_httplib_libdir}/pkgconfig
            NO_DEFAULT_PATH)
  if(httplib_PKG_CONFIG_FILE)
    file(STRINGS ${httplib_PKG_CONFIG_FILE} _httplib_cflags REGEX "^Cflags:")
    string(REGEX MATCHALL "-D[A-Za-z0-9_]+(=[^ ]*)?" _httplib_flags "${_httplib_cflags}")
    foreach(flag IN LISTS _httplib_flags)
      string(SUBSTRING ${flag} 2 -1 definition)
      list(APPEND _httplib_definitions ${definition})
    endforeach()
  endif()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(httplib
  REQUIRED_VARS httplib_LIBRARY httplib_INCLUDE_DIR
  VERSION_VAR httplib_VERSION)

if(httplib_FOUND)
  find_package(Threads REQUIRED)
  add_library(httplib::httplib UNKNOWN IMPORTED)
  set_target_properties(httplib::httplib PROPERTIES
    IMPORTED_LOCATION ${httplib_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${httplib_INCLUDE_DIR}
    INTERFACE_COMPILE_DEFINITIONS "${_httplib_definitions}"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()
mark_as_advanced(httplib_INCLUDE_DIR httplib_LIBRARY httplib_PKG_CONFIG_FILE)
