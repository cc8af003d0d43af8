# Installs the headers, the component libraries and a CMake package, so that another project can
# find_package(upkeep) and link upkeep::upkeep.
include(CMakePackageConfigHelpers)

get_property(upkeep_components GLOBAL PROPERTY UPKEEP_COMPONENTS)
install(TARGETS upkeep ${upkeep_components}
  EXPORT upkeepTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/upkeep DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(upkeep_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/upkeep)
install(EXPORT upkeepTargets NAMESPACE upkeep:: DESTINATION ${upkeep_cmake_dir})
configure_package_config_file(cmake/upkeepConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/upkeepConfig.cmake INSTALL_DESTINATION ${upkeep_cmake_dir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/upkeepConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/upkeepConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/upkeepConfigVersion.cmake DESTINATION ${upkeep_cmake_dir})
