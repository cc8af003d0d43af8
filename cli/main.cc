// upkeep: the command line over the upkeep engine (docs/cli.md).
//
//   upkeep demo
//   upkeep init --policy examples/policy.json
//   upkeep import customers examples/data/portfolio.csv
//   upkeep allocate --book upkeep.db --period FY2026
//   upkeep report dashboard --out report.html
//
// Exit codes (exit_codes.h): 0 ok, 2 usage, 3 bad input, 4 denied (also a request the control
// policies reject), 5 not found, 6 conflict, 7 unavailable, 8 corrupt, 10 internal. Errors go to
// stderr in one line.
#include <exception>
#include <string>

#include "CLI/CLI.hpp"
#include "commands.h"
#include "exit_codes.h"
#include "io/file_text.h"
#include "upkeep/status.h"

namespace {

// CLI11 takes an unknown command for a stray argument; name it instead.
bool IsUnknownCommand(CLI::App& app, const char* word) {
  if (word[0] == '-') return false;
  for (const CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    if (command->get_name() == word) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = upkeep::cli;
  // An import maps a large input file (io/file_text.h): one that shrinks under it ends the run
  // with one line instead of a crash. The book keeps what was committed, as after any crash.
  upkeep::io::FileText::ExitOnShrink(
      "upkeep: error: unavailable: an input file shrank while it was being read; the book keeps "
      "what was committed before, and importing the file again applies the rest\n",
      cli::kExitUnavailable);
  CLI::App app(
      "upkeep: customer maintenance fees (客户维护费): classify customers, size and "
      "allocate budgets, control spend.",
      "upkeep");
  app.footer(
      "Examples:\n"
      "  upkeep demo\n"
      "  upkeep allocate --policy examples/policy.json --portfolio examples/data/portfolio.csv\n"
      "  upkeep init --policy examples/policy.json\n"
      "  upkeep import customers examples/data/portfolio.csv\n"
      "  upkeep import metrics examples/data/portfolio.csv --period FY2025\n"
      "  upkeep allocate --book upkeep.db --period FY2026 --metrics FY2025\n"
      "  upkeep import spend examples/data/spend.csv\n"
      "  upkeep report budget\n"
      "  upkeep report dashboard --out report.html\n"
      "Exit codes: 0 ok, 2 usage, 3 bad input, 4 denied (a request the control policies\n"
      "reject, an actor without the right), 5 not found, 6 conflict, 7 unavailable, 8 corrupt,\n"
      "10 internal. Errors go to stderr in one line. See docs/cli.md.");
  app.require_subcommand(1);
  int exit_code = cli::kExitOk;
  cli::AddInitCommand(app, &exit_code);
  cli::AddPolicyCommands(app, &exit_code);
  cli::AddImportCommands(app, &exit_code);
  cli::AddPlanCommands(app, &exit_code);
  cli::AddLedgerCommands(app, &exit_code);
  cli::AddMonitorCommands(app, &exit_code);
  cli::AddEffectivenessCommand(app, &exit_code);
  cli::AddProposeCommand(app, &exit_code);
  cli::AddReportCommands(app, &exit_code);
  cli::AddBookCommands(app, &exit_code);
  cli::AddDemoCommand(app, &exit_code);
  if (argc > 1 && IsUnknownCommand(app, argv[1])) {
    return cli::ReportUsageError(std::string("unknown command '") + argv[1] +
                                 "' (see upkeep --help)");
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    return cli::ReportUsageError(std::string(error.what()) + " (see upkeep --help)");
  } catch (const std::exception& error) {
    return cli::ReportError(upkeep::MakeError(upkeep::ErrorCode::kInternal, error.what()));
  }
  return exit_code;
}
