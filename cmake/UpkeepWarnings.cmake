# upkeep_set_warnings(<target>): the project's warning level, as errors, for code we own.
# -Wno-missing-field-initializers: options structs are filled with designated initializers
# ({.customers = 10}), relying on member defaults; GCC 12 would flag every omitted member.
# -Wno-restrict on GCC 12: at -O3 it reports libstdc++'s own memcpy inside `"t" +
# std::to_string(i)` as overlapping (GCC bug 105329, a false positive), which broke the
# release preset's test build.
function(upkeep_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Werror
    -Wconversion -Wsign-conversion -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough -Wmissing-declarations
    -Wno-missing-field-initializers)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
     AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()

# upkeep_add_component(<name> SOURCES ... DEPS ...): one engine component as a static library
# upkeep_<name>, PIC so that the C API can link it into a shared object, exported for install.
function(upkeep_add_component name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  set(target upkeep_${name})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(upkeep::${name} ALIAS ${target})
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target} PUBLIC ${ARG_DEPS})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  upkeep_set_warnings(${target})
  set_property(GLOBAL APPEND PROPERTY UPKEEP_COMPONENTS ${target})
endfunction()

# upkeep_add_test(<name> SOURCES ... DEPS ...): a GoogleTest program registered with CTest.
function(upkeep_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  upkeep_set_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "unit;${ARG_LABELS}")
endfunction()
