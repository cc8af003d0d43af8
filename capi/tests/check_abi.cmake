# Compares the ABI of libupkeep.so with the committed abidw baseline (capi/abi/libupkeep.abi).
#   cmake -DLIBRARY=<libupkeep.so> -DBASELINE=<libupkeep.abi> -DHEADERS=<abs capi/include/upkeep>
#         -DSOURCE_DIR=<abs source dir> -DWORK_DIR=<build scratch dir> [-DUPDATE=ON]
#         -P check_abi.cmake
# abidw describes only what the public header declares: --exported-interfaces-only with an
# absolute --headers-dir (a relative one makes abidiff report nothing) keeps the upk_* functions
# and the header's types, and turns the structs behind the opaque handles into declarations, so
# none of the engine's C++ types enter the baseline. Source paths are made relative, so the
# baseline is the same from any checkout, and it does not depend on the build type.
# The current library is described the same way and compared with abidiff; any non-zero exit
# fails, including bit 4 alone (e.g. a field inserted mid-struct). UPDATE=ON rewrites the
# baseline on purpose (target capi_update_abi).
set(abidw_flags --headers-dir ${HEADERS} --exported-interfaces-only --drop-private-types
  --drop-undefined-syms --no-show-locs --no-corpus-path --no-comp-dir-path --no-elf-needed
  --type-id-style hash)
set(current ${WORK_DIR}/libupkeep.abi)
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(COMMAND abidw ${abidw_flags} --out-file ${current} ${LIBRARY}
  ERROR_VARIABLE errors RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "abidw failed (${code}) on ${LIBRARY}:\n${errors}")
endif()
file(READ ${current} abi)
string(REPLACE "path='${SOURCE_DIR}/" "path='" abi "${abi}")
file(WRITE ${current} "${abi}")

if(UPDATE)
  file(WRITE ${BASELINE} "${abi}")
  message(STATUS "wrote ${BASELINE}")
  return()
endif()
execute_process(COMMAND abidiff --no-show-locs ${BASELINE} ${current}
  OUTPUT_VARIABLE report ERROR_VARIABLE errors RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "abidiff exit ${code} against ${BASELINE}:\n${report}\n${errors}\n"
    "If the change is intended (a new function, or a field added at the end of a struct in a "
    "minor version), run the target capi_update_abi and commit the new baseline with it.")
endif()
message(STATUS "ABI matches ${BASELINE}")
