// Split: largest-remainder division of an amount by integer weights, exact and O(n).
//
// For the magnitude m = |amount| and total weight W, part i gets floor(m * w_i / W) and the
// leftover L = m - sum(floors) < n units go one each to the L largest remainders, ties broken by
// ascending tie key. The passes that select them (a radix step plus a small std::nth_element,
// not a sort) are money/split_core.h's, with the whole input as one group; only the last pass
// writes the output, so an error leaves it as it was, and the caller's vector is reused.
#include "upkeep/split.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "money/split_core.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

constexpr size_t kMaxParts = std::numeric_limits<uint32_t>::max();

// The parts of one Split: spans in, the caller's vector out.
class SpanParts {
 public:
  static constexpr bool kStagesFloors = false;
  SpanParts(std::span<const uint64_t> weights, std::span<const uint64_t> keys,
            std::vector<int64_t>& out)
      : weights_(weights), keys_(keys), out_(out) {}
  size_t size() const { return weights_.size(); }
  size_t group(size_t) const { return 0; }
  uint64_t weight(size_t k) const { return weights_[k]; }
  uint64_t key(size_t k) const { return keys_[k]; }
  void StartWriting() {
    out_.resize(weights_.size());
    data_ = out_.data();
  }
  void Write(size_t k, int64_t part) { data_[k] = part; }

 private:
  std::span<const uint64_t> weights_;
  std::span<const uint64_t> keys_;
  std::vector<int64_t>& out_;
  int64_t* data_ = nullptr;
};

}  // namespace

absl::Status Split(int64_t amount_minor, std::span<const uint64_t> weights,
                   std::span<const uint64_t> tie_keys, std::vector<int64_t>& parts_minor) {
  if (weights.size() != tie_keys.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("split: ", weights.size(), " weights but ", tie_keys.size(),
                                  " tie keys; they must pair up"));
  }
  if (weights.size() > kMaxParts) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("split: ", weights.size(), " parts; at most ", kMaxParts));
  }
  absl::uint128 total_weight = 0;
  for (uint64_t weight : weights) total_weight += weight;
  if (total_weight == 0 && amount_minor != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("cannot split ", amount_minor, " minor units over ",
                                  weights.size(), " parts whose weights are all zero"));
  }
  if (amount_minor == 0) {
    parts_minor.assign(weights.size(), 0);
    return absl::OkStatus();
  }
  const money_internal::SplitGroup group{amount_minor, total_weight, weights.size()};
  SpanParts parts(weights, tie_keys, parts_minor);
  return money_internal::SplitGroups(std::span(&group, 1), parts);
}

}  // namespace upkeep
