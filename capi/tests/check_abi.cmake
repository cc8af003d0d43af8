# Compares the ABI of libupkeep.so with the committed abidw baseline, restricted to the types of
# the public header (absolute --headers-dir: a relative one makes abidiff report nothing).
#   cmake -DLIBRARY=<libupkeep.so> -DBASELINE=<libupkeep.abi> -DHEADERS=<abs include/upkeep>
#         [-DUPDATE=ON] -P check_abi.cmake
# Any non-zero abidiff exit fails, including bit 4 (an incompatible change such as a field
# inserted mid-struct). UPDATE=ON rewrites the baseline on purpose.
set(abidw_flags --headers-dir ${HEADERS} --no-show-locs --no-corpus-path --no-comp-dir-path
  --drop-private-types --drop-undefined-syms --type-id-style hash)
if(UPDATE)
  execute_process(COMMAND abidw ${abidw_flags} --out-file ${BASELINE} ${LIBRARY}
    RESULT_VARIABLE code)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "abidw failed (${code})")
  endif()
  message(STATUS "wrote ${BASELINE}")
  return()
endif()
execute_process(COMMAND abidiff --no-show-locs --headers-dir2 ${HEADERS} ${BASELINE} ${LIBRARY}
  OUTPUT_VARIABLE report ERROR_VARIABLE errors RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "abidiff exit ${code} against ${BASELINE}:\n${report}\n${errors}\n"
    "If the change is intended (a new function or a field added at the end of a struct in a "
    "minor version), run the target capi_update_abi and commit the new baseline.")
endif()
message(STATUS "ABI matches ${BASELINE}")
