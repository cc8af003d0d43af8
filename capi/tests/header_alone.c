/* capi/tests/header_alone.c: upkeep.h must compile alone, as C99 and as C++ (see CMakeLists). */
#include "upkeep/upkeep.h"

typedef upk_request upk_header_alone_request;
