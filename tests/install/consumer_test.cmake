# Script for the install_consumer test: install, configure the consumer against the installed
# package only, build it, run it. Any failing step fails the test.
file(REMOVE_RECURSE ${SCRATCH_DIR})
set(prefix ${SCRATCH_DIR}/prefix)

function(run_step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "step failed (${code}): ${ARGN}\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

run_step(${CMAKE_COMMAND} --install ${UPKEEP_BUILD_DIR} --prefix ${prefix})
run_step(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${SCRATCH_DIR}/build
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run_step(${CMAKE_COMMAND} --build ${SCRATCH_DIR}/build)
run_step(${SCRATCH_DIR}/build/consumer)
if(NOT step_output MATCHES "consumer: 100.00 CNY split into 33.34 \\+ 33.33 \\+ 33.33")
  message(FATAL_ERROR "unexpected consumer output: ${step_output}")
endif()
message(STATUS "${step_output}")
