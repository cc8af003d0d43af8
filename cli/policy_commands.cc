// `upkeep policy check FILE` and `upkeep policy show FILE`.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_join.h"
#include "command.h"
#include "commands.h"
#include "exit_codes.h"
#include "output.h"
#include "upkeep/policy.h"

namespace upkeep::cli {
namespace {

struct PolicyArguments {
  std::string path;
  Format format = Format::kTable;
};

// The value at `pointer` in the document as text, or "-" when the document has none.
std::string Setting(const nlohmann::json& document, const char* pointer) {
  const nlohmann::json::json_pointer at(pointer);
  if (!document.contains(at)) return "-";
  const nlohmann::json& value = document.at(at);
  return value.is_string() ? value.get<std::string>() : value.dump();
}

Report Summary(const std::string& path, const PolicySet& policy) {
  const nlohmann::json& document = policy.document();
  Report report;
  report.facts = {
      {"file", path},
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
  Report report = Summary(args.path, **policy);
  report.facts.insert(report.facts.begin(), {"valid", "true"});
  Print(report, args.format, stdout);
  return kExitOk;
}

absl::StatusOr<int> Show(const PolicyArguments& args) {
  absl::StatusOr<std::shared_ptr<const PolicySet>> policy = LoadPolicy(args.path);
  if (!policy.ok()) return policy.status();
  if (args.format == Format::kJson) {
    std::printf("%s\n", (*policy)->document().dump(2).c_str());
    return kExitOk;
  }
  Print(Summary(args.path, **policy), args.format, stdout);
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
  CLI::App* group = app.add_subcommand("policy", "check or show a policy document");
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
      *group, "show", "summarize a policy document (--format json: the document as compiled)",
      "upkeep policy show examples/policy.json --format json");
  show->add_option("file", args->path, "the policy document (JSON)")->required();
  AddFormatOption(*show, args->format);
  OnRun(*show, exit_code, [args] { return Show(*args); });
}

}  // namespace upkeep::cli
