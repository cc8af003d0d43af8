#include "upkeep/bounded_split.h"

#include <cstddef>
#include <string>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "allocation/water_fill.h"
#include "base/status_macros.h"
#include "upkeep/checked.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

using allocation_internal::Bound;
using allocation_internal::WaterFillInput;

absl::Status CheckInput(int64_t total_minor, const BoundedSplitInput& in) {
  const size_t n = in.base_minor.size();
  if (in.floor_minor.size() != n || in.cap_minor.size() != n || in.tie_keys.size() != n) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        absl::StrCat("bounded split: ", n, " bases but ", in.floor_minor.size(), " floors, ",
                     in.cap_minor.size(), " caps and ", in.tie_keys.size(), " tie keys"));
  }
  if (total_minor < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("bounded split: negative total ", total_minor));
  }
  for (size_t i = 0; i < n; ++i) {
    if (in.base_minor[i] < 0 || in.floor_minor[i] < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat("bounded split: part ", i, " has a negative base or floor"));
    }
    if (in.cap_minor[i] < in.floor_minor[i]) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat("bounded split: part ", i, " has cap ", in.cap_minor[i],
                                    " below its floor ", in.floor_minor[i]));
    }
  }
  return CheckedSum(in.base_minor).status();
}

// A non-negative 128-bit count as text (sums of floors may pass int64).
std::string Count(absl::int128 value) {
  const absl::uint128 v = static_cast<absl::uint128>(value);
  if (absl::Uint128High64(v) == 0) return absl::StrCat(absl::Uint128Low64(v));
  return absl::StrCat(absl::Uint128High64(v), " * 2^64 + ", absl::Uint128Low64(v));
}

}  // namespace

absl::Status SplitWithinBounds(int64_t total_minor, const BoundedSplitInput& input,
                               std::vector<int64_t>& parts_minor, std::vector<SplitBound>& bound) {
  UPKEEP_RETURN_IF_ERROR(CheckInput(total_minor, input));
  const WaterFillInput fill{input.base_minor, input.floor_minor, input.cap_minor, input.tie_keys};
  const allocation_internal::Capacity capacity = allocation_internal::CapacityOf(fill);
  if (absl::int128(total_minor) < capacity.floor_minor) {
    return MakeError(
        ErrorCode::kInfeasible,
        absl::StrCat("bounded split: the floors need ", Count(capacity.floor_minor - total_minor),
                     " minor units more than the total ", total_minor));
  }
  if (absl::int128(total_minor) > capacity.cap_minor) {
    return MakeError(
        ErrorCode::kInfeasible,
        absl::StrCat("bounded split: the caps hold ", Count(total_minor - capacity.cap_minor),
                     " minor units less than the total ", total_minor));
  }
  std::vector<int64_t> out(input.base_minor.size(), 0);
  std::vector<Bound> held(input.base_minor.size(), Bound::kNone);
  UPKEEP_RETURN_IF_ERROR(allocation_internal::WaterFill(fill, total_minor, out, held));
  parts_minor = std::move(out);
  bound.resize(held.size());
  for (size_t i = 0; i < held.size(); ++i) bound[i] = static_cast<SplitBound>(held[i]);
  return absl::OkStatus();
}

}  // namespace upkeep
