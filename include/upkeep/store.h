// upkeep/store.h: durable books, all of it (see the headers under upkeep/store/).
#ifndef UPKEEP_STORE_H_
#define UPKEEP_STORE_H_

#include "upkeep/store/book.h"   // IWYU pragma: export
#include "upkeep/store/store.h"  // IWYU pragma: export

#endif  // UPKEEP_STORE_H_
