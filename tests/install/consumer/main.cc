// Uses the installed upkeep headers and libraries: splits 100.00 CNY three ways.
#include <cstdio>
#include <vector>

#include "upkeep/money.h"
#include "upkeep/split.h"

int main() {
  absl::StatusOr<upkeep::Currency> cny = upkeep::Currency::FromCode("CNY");
  if (!cny.ok()) return 1;
  absl::StatusOr<upkeep::Money> total = upkeep::Money::Parse("100.00", *cny);
  if (!total.ok()) return 1;
  const std::vector<uint64_t> weights = {1, 1, 1};
  const std::vector<uint64_t> keys = {1, 2, 3};
  std::vector<int64_t> parts;
  if (!upkeep::Split(total->amount_minor(), weights, keys, parts).ok()) return 1;
  std::printf("consumer: %s split into %s + %s + %s\n", total->ToString().c_str(),
              upkeep::Money::FromMinor(parts[0], *cny).ToDecimalString().c_str(),
              upkeep::Money::FromMinor(parts[1], *cny).ToDecimalString().c_str(),
              upkeep::Money::FromMinor(parts[2], *cny).ToDecimalString().c_str());
  return 0;
}
