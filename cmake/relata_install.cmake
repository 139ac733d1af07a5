# install, so that find_package(relata CONFIG COMPONENTS sqlite postgres) works. What is
# installed is the headers and the CMake code that defines relata's targets: the engine
# libraries are built in the consumer's build tree, with its compiler and flags
# (cmake/relata_targets.cmake).
include(CMakePackageConfigHelpers)

set(RELATA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/relata)

install(DIRECTORY include/relata DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/relata)
install(FILES cmake/relata_targets.cmake cmake/Findhttplib.cmake DESTINATION ${RELATA_CMAKE_DIR})

configure_package_config_file(cmake/relataConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/relataConfig.cmake
  INSTALL_DESTINATION ${RELATA_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/relataConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/relataConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/relataConfigVersion.cmake
  DESTINATION ${RELATA_CMAKE_DIR})
