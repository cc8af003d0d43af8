// cli/exit_codes.h: the exit status of the `upkeep` program, mapped from upkeep::ErrorCode in one
// place, and the one-line error report on stderr.
//
//   0 ok, 2 usage, 3 bad input (also an import with bad rows), 4 denied (also a request the
//   control policies reject: decision_output.h), 5 not found, 6 conflict, 7 unavailable (a file
//   or the book could not be read or written), 8 corrupt (the book failed verification),
//   10 internal.
//
// Thread safety: pure functions (ReportError writes to stderr).
#ifndef UPKEEP_CLI_EXIT_CODES_H_
#define UPKEEP_CLI_EXIT_CODES_H_

#include <string_view>

#include "absl/status/status.h"

namespace upkeep::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitBadInput = 3;
inline constexpr int kExitDenied = 4;
inline constexpr int kExitNotFound = 5;
inline constexpr int kExitConflict = 6;
inline constexpr int kExitUnavailable = 7;
inline constexpr int kExitCorrupt = 8;
inline constexpr int kExitInternal = 10;

// The exit status for `status` (kExitOk for OK).
int ExitCodeOf(const absl::Status& status);

// Prints "upkeep: error: <status name>: <message>" on stderr and returns ExitCodeOf(status).
int ReportError(const absl::Status& status);

// Prints "upkeep: error: usage: <message>" on stderr and returns kExitUsage.
int ReportUsageError(std::string_view message);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_EXIT_CODES_H_
