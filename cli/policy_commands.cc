// `upkeep policy check FILE`, `upkeep policy show [FILE]` and `upkeep policy set FILE`: a policy
// document on its own, or the versions recorded in a book.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "book_access.h"
#include "book_settings.h"
#include "command.h"
#include "commands.h"
#include "exit_codes.h"
#include "output.h"
#include "upkeep/io/csv.h"
#include "upkeep/policy.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

struct PolicyArguments {
  std::string path;
  BookArguments book;
  int64_t version = 0;  // 0: the latest
  std::string actor = kBookAdmin;
  Format format = Format::kTable;
};

// The value at `pointer` in the document as text, or "-" when the document has none.
std::string Setting(const nlohmann::json& document, const char* pointer) {
  const nlohmann::json::json_pointer at(pointer);
  if (!document.contains(at)) return "-";
  const nlohmann::json& value = document.at(at);
  return value.is_string() ? value.get<std::string>() : value.dump();
}

Report Summary(const Fact& source, const PolicySet& policy) {
  const nlohmann::json& document = policy.document();
  Report report;
  report.facts = {
      source,
      {"name", policy.name()},
      {"currency", std::string(policy.currency().code())},
      {"tiers", absl::StrJoin(policy.tier_names(), ", ")},
      {"classifier", Setting(document, "/classification/classifier")},
      {"sizing",
       policy.sizing() == nullptr ? "given by the host" : Setting(document, "/sizing/method")},
      {"allocation", Setting(document, "/allocation/policy")},
  };
  return report;
}

absl::StatusOr<int> Check(const PolicyArguments& args) {
  absl::StatusOr<std::shared_ptr<const PolicySet>> policy = LoadPolicy(args.path);
  if (!policy.ok()) return policy.status();
  if (args.format == Format::kTable) {
    std::printf("ok: %s is a valid policy document\n", args.path.c_str());
    return kExitOk;
  }
  Report report = Summary({"file", args.path}, **policy);
  report.facts.insert(report.facts.begin(), {"valid", "true"});
  Print(report, args.format, stdout);
  return kExitOk;
}

// The document of FILE, or of the book (--version N, default the latest).
absl::StatusOr<int> Show(const PolicyArguments& args) {
  Fact source{"file", args.path};
  std::string text;
  if (args.path.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book));
    int64_t version = args.version;
    if (version == 0) {
      UPKEEP_ASSIGN_OR_RETURN(version, PolicyVersion(book));
    }
    UPKEEP_ASSIGN_OR_RETURN(text, PolicyText(book, version));
    source = {"book", absl::StrCat(args.book.path, ", policy version ", version)};
  } else {
    UPKEEP_ASSIGN_OR_RETURN(text, io::ReadFile(args.path));
  }
  absl::StatusOr<std::shared_ptr<const PolicySet>> policy = PolicySet::Compile(text);
  if (!policy.ok()) {
    return MakeError(ErrorCodeOf(policy.status()),
                     absl::StrCat(source.value, ": ", policy.status().message()));
  }
  if (args.format == Format::kJson) {
    std::printf("%s\n", (*policy)->document().dump(2).c_str());
    return kExitOk;
  }
  Print(Summary(source, **policy), args.format, stdout);
  return kExitOk;
}

// Records FILE as the book's next policy version (unless it is the latest already).
absl::StatusOr<int> Set(const PolicyArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(const PolicyFile file, LoadPolicyFile(args.path));
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book));
  UPKEEP_ASSIGN_OR_RETURN(int64_t version, PolicyVersion(book));
  bool unchanged = false;
  if (version > 0) {
    UPKEEP_ASSIGN_OR_RETURN(const std::string latest, PolicyText(book, version));
    unchanged = latest == file.text;
  }
  if (!unchanged) {
    UPKEEP_ASSIGN_OR_RETURN(version, RecordPolicy(book, *file.policy, file.text, args.actor));
  }
  UPKEEP_RETURN_IF_ERROR(book.Close());
  Report report = Summary({"book", args.book.path}, *file.policy);
  report.facts.insert(report.facts.begin() + 1,
                      {"version", absl::StrCat(version, unchanged ? " (unchanged)" : " (new)")});
  Print(report, args.format, stdout);
  return kExitOk;
}

CLI::App* AddPolicyCommand(CLI::App& group, const char* name, const char* description,
                           const char* example) {
  CLI::App* command = group.add_subcommand(name, description);
  command->footer(std::string("Example:\n  ") + example);
  return command;
}

}  // namespace

void AddPolicyCommands(CLI::App& app, int* exit_code) {
  CLI::App* group = app.add_subcommand(
      "policy", "check or show a policy document; record a new version of a book's policy");
  group->require_subcommand(1);
  auto args = std::make_shared<PolicyArguments>();

  CLI::App* check = AddPolicyCommand(
      *group, "check",
      "validate a policy document; errors name the JSON path (exit 3 when invalid)",
      "upkeep policy check examples/policy.json");
  check->add_option("file", args->path, "the policy document (JSON)")->required();
  AddFormatOption(*check, args->format);
  OnRun(*check, exit_code, [args] { return Check(*args); });

  CLI::App* show = AddPolicyCommand(
      *group, "show",
      "summarize a policy document, or the book's (--format json: the document as compiled)",
      "upkeep policy show examples/policy.json --format json\n"
      "  upkeep policy show --book upkeep.db --version 1");
  show->add_option("file", args->path, "the policy document (JSON); default: the book's");
  AddBookOption(*show, args->book);
  show->add_option("--version", args->version, "the book's policy version (default: the latest)")
      ->check(CLI::PositiveNumber);
  AddFormatOption(*show, args->format);
  OnRun(*show, exit_code, [args] { return Show(*args); });

  CLI::App* set = AddPolicyCommand(
      *group, "set",
      "validate a policy document and record it as the book's next policy version; its control "
      "section governs the ledger from now on (exit 3 when invalid, nothing recorded)",
      "upkeep policy set examples/policy.json --book upkeep.db");
  set->add_option("file", args->path, "the policy document (JSON)")->required();
  AddBookOption(*set, args->book);
  set->add_option("--actor", args->actor, "who sets it (an admin)")->capture_default_str();
  AddFormatOption(*set, args->format);
  OnRun(*set, exit_code, [args] { return Set(*args); });
}

}  // namespace upkeep::cli
