// cli/commands.h: the command groups of the `upkeep` program, one file each.
//
// A new command over a book reads it through book_access.h (open), book_settings.h (its policy
// and settings), book_directory.h (what it defines) and book_view.h (a monitor replayed to a
// day); a new import registers under the `import` group with import_common.h (rejects file,
// progress, summary), a new report under `report` with reports.h. The feedback loop's commands
// (`import feedback`, `effectiveness`, `propose`) read feedback_reports.h.
#ifndef UPKEEP_CLI_COMMANDS_H_
#define UPKEEP_CLI_COMMANDS_H_

#include "CLI/CLI.hpp"

namespace upkeep::cli {

// `init`: a new book with its policy document (init_command.cc).
void AddInitCommand(CLI::App& app, int* exit_code);
// `policy check|show|set` (policy_commands.cc).
void AddPolicyCommands(CLI::App& app, int* exit_code);
// `import customers|metrics|spend|feedback` (import_commands.cc, import_spend.cc,
// import_feedback.cc).
void AddImportCommands(CLI::App& app, int* exit_code);
// `reserve`, `spend`, `check`, `post`, `void`, `refund`, `transfer`, `approve`, `reject`,
// `approvals`: one ledger operation on a book (ledger_commands.cc).
void AddLedgerCommands(CLI::App& app, int* exit_code);
// `alerts`, `forecast`, `close` (monitor_commands.cc).
void AddMonitorCommands(CLI::App& app, int* exit_code);
// `report budget|utilization|alerts|effectiveness|dashboard` (report_commands.cc).
void AddReportCommands(CLI::App& app, int* exit_code);
// `effectiveness` under `parent` (the program, and the `report` group) (feedback_commands.cc).
void AddEffectivenessCommand(CLI::App& parent, int* exit_code);
// `propose [--approve|--reject|--apply]`: the feedback proposal (feedback_commands.cc).
void AddProposeCommand(CLI::App& app, int* exit_code);
// `classify`, `size`, `allocate` over a policy and a portfolio file (plan_commands.cc).
void AddPlanCommands(CLI::App& app, int* exit_code);
// `status`, `verify`: read an existing book (book_commands.cc).
void AddBookCommands(CLI::App& app, int* exit_code);
// `demo`: the whole cycle on the bundled sample (demo_command.cc).
void AddDemoCommand(CLI::App& app, int* exit_code);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_COMMANDS_H_
