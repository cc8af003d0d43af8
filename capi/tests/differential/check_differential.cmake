# Runs the differential corpus through C++ (the engine), Python (the C API via ctypes) and C#
# (the C API via P/Invoke) and requires byte-identical canonical JSON from all three.
#   cmake -DCORPUS=<differential.json> -DSOURCE_DIR=<dir> -DWORK_DIR=<dir> -DCXX_RUNNER=<exe>
#         -DPYTHON=<python3> -DPY_RUNNER=<differential.py> -DMONO=<mono> -DCS_RUNNER=<exe>
#         -P check_differential.cmake
# The library path and PYTHONPATH come from the test's environment.
file(MAKE_DIRECTORY ${WORK_DIR})
set(hosts cxx python csharp)
set(cxx_command ${CXX_RUNNER} ${CORPUS} ${SOURCE_DIR})
set(python_command ${PYTHON} ${PY_RUNNER} ${CORPUS} ${SOURCE_DIR})
set(csharp_command ${MONO} --debug ${CS_RUNNER} ${CORPUS} ${SOURCE_DIR})
foreach(host IN LISTS hosts)
  execute_process(COMMAND ${${host}_command} OUTPUT_FILE ${WORK_DIR}/${host}.json
    ERROR_VARIABLE errors RESULT_VARIABLE code)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "the ${host} runner failed (${code}):\n${errors}")
  endif()
  file(SIZE ${WORK_DIR}/${host}.json size)
  if(size LESS 1000)
    message(FATAL_ERROR "the ${host} runner wrote almost nothing (${size} bytes)")
  endif()
endforeach()
foreach(host python csharp)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/cxx.json
    ${WORK_DIR}/${host}.json RESULT_VARIABLE differs)
  if(differs)
    message(FATAL_ERROR "${host} differs from C++: compare ${WORK_DIR}/cxx.json and "
      "${WORK_DIR}/${host}.json")
  endif()
endforeach()
message(STATUS "C++, Python and C# agree on ${CORPUS} (${size} bytes of results)")
