#include "upkeep/allocation_result.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"

namespace upkeep {
namespace {

// "tier_shares" from "tier_shares: strategic 40 %, ...".
std::string_view RuleName(std::string_view step_line) {
  return step_line.substr(0, step_line.find(':'));
}

}  // namespace

std::string Allocation::Explain(size_t i) const {
  const auto money = [this](int64_t minor) {
    return Money::FromMinor(minor, currency).ToDecimalString();
  };
  const auto step_name = [this](size_t s) {
    return absl::StrCat("step ", s, " ", AsAbsl(s < steps.size() ? RuleName(steps[s]) : "?"));
  };
  std::string line =
      absl::StrCat(tier[i] < tier_names.size() ? tier_names[tier[i]] : "?", ": ",
                   money(amount_minor[i]), " ", AsAbsl(currency.code()), " (base ",
                   money(base_minor[i]), " by ", step_name(0), ", weight ", weight[i]);
  if (flags[i] & kAllocFloored) {
    absl::StrAppend(&line, "; floored at ", money(bound_minor[i]), " by ", step_name(step[i]));
  } else if (flags[i] & kAllocCapped) {
    absl::StrAppend(&line, "; capped at ", money(bound_minor[i]), " by ", step_name(step[i]));
  } else if (flags[i] & kAllocReweighted) {
    absl::StrAppend(&line, "; reweighted by ", step_name(step[i]));
  } else if (flags[i] & kAllocRebalanced) {
    absl::StrAppend(&line, "; rebalanced by ", step_name(step[i]),
                    " to absorb other customers' floors and caps");
  }
  line += ")";
  return line;
}

size_t AllocationWorkspace::bytes() const {
  return (minor_a.capacity() + minor_b.capacity() + minor_c.capacity()) * sizeof(int64_t) +
         index.capacity() * sizeof(uint32_t) + mark.capacity() +
         bucket.capacity() * sizeof(uint16_t);
}

void AllocationWorkspace::Release() { *this = AllocationWorkspace(); }

size_t Allocation::BytesPerCustomer() const {
  if (amount_minor.empty()) return 0;
  const size_t bytes =
      amount_minor.capacity() * sizeof(int64_t) + base_minor.capacity() * sizeof(int64_t) +
      weight.capacity() * sizeof(uint64_t) + bound_minor.capacity() * sizeof(int64_t) +
      tier.capacity() * sizeof(TierIndex) + step.capacity() + flags.capacity() + workspace.bytes();
  return bytes / amount_minor.size();
}

}  // namespace upkeep
