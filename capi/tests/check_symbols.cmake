# Compares the dynamic symbols that libupkeep.so defines with the committed list.
#   cmake -DLIBRARY=<libupkeep.so> -DLIST=<upkeep.symbols> [-DUPDATE=ON] -P check_symbols.cmake
# UPDATE=ON rewrites the list (on purpose, in the commit that changes the API).
execute_process(COMMAND nm -D --defined-only ${LIBRARY}
  OUTPUT_VARIABLE nm_output RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIBRARY}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${nm_output}")
set(symbols "")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^[0-9a-fA-F]* *[A-Za-z] " "" name "${line}")
  list(APPEND symbols "${name}")
endforeach()
list(SORT symbols)
list(JOIN symbols "\n" actual)
set(actual "${actual}\n")
if(UPDATE)
  file(WRITE ${LIST} "${actual}")
  message(STATUS "wrote ${LIST}")
  return()
endif()
file(READ ${LIST} expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "exported symbols differ from ${LIST}.\nexpected:\n${expected}\nactual:\n"
    "${actual}\nIf the change is intended, rebuild and run the target capi_update_abi.")
endif()
list(LENGTH symbols count)
message(STATUS "${count} exported symbols, all upk_*, as listed")
