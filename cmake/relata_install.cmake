# install + export, so that find_package(relata CONFIG COMPONENTS sqlite postgres) works.
include(CMakePackageConfigHelpers)

set(RELATA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/relata)

install(DIRECTORY include/relata DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/relata)

install(TARGETS relata EXPORT relataTargets)
install(EXPORT relataTargets NAMESPACE relata:: DESTINATION ${RELATA_CMAKE_DIR})
foreach(component sqlite postgres rest rest_httplib)
  if(TARGET relata_${component})
    install(TARGETS relata_${component} EXPORT relata_${component}Targets)
    install(EXPORT relata_${component}Targets NAMESPACE relata:: DESTINATION ${RELATA_CMAKE_DIR})
  endif()
endforeach()

configure_package_config_file(cmake/relataConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/relataConfig.cmake
  INSTALL_DESTINATION ${RELATA_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/relataConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES
  cmake/Findhttplib.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/relataConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/relataConfigVersion.cmake
  DESTINATION ${RELATA_CMAKE_DIR})
