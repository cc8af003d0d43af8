// Property tests of Split against its contract and a slow reference that fully sorts.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "absl/numeric/int128.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "upkeep/split.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

struct Input {
  int64_t amount;
  std::vector<uint64_t> weights;
  std::vector<uint64_t> keys;  // distinct
};

// Weights from several scales, so that both the 64-bit and the 128-bit paths run, with zeros.
rc::Gen<uint64_t> AnyWeight() {
  return rc::gen::weightedOneOf<uint64_t>({
      {1, rc::gen::just<uint64_t>(0)},
      {3, rc::gen::inRange<uint64_t>(0, 10)},
      {3, rc::gen::inRange<uint64_t>(0, 1'000'000)},
      {2, rc::gen::arbitrary<uint64_t>()},
  });
}

rc::Gen<int64_t> AnyAmount() {
  return rc::gen::weightedOneOf<int64_t>({
      {3, rc::gen::inRange<int64_t>(-1000, 1001)},
      {2, rc::gen::arbitrary<int64_t>()},
      {1, rc::gen::element(INT64_MIN, INT64_MAX, int64_t{0})},
  });
}

// Up to 60 parts; with `large`, 1,000 to 20,000 parts (more histogram buckets in Split).
Input AnyInput(bool large = false) {
  Input in;
  in.amount = *AnyAmount();
  if (large) {
    const auto n = *rc::gen::inRange<size_t>(1'000, 20'001);
    // Half the cases keep every product within 64 bits (Split's fast path).
    const bool narrow = *rc::gen::arbitrary<bool>();
    in.weights = *rc::gen::container<std::vector<uint64_t>>(
        n, narrow ? rc::gen::inRange<uint64_t>(0, 1'000'000) : AnyWeight());
    if (narrow) in.amount %= 1'000'000'000'000;
  } else {
    in.weights = *rc::gen::resize(
        60, rc::gen::nonEmpty(rc::gen::container<std::vector<uint64_t>>(AnyWeight())));
  }
  if (in.amount != 0 &&
      std::all_of(in.weights.begin(), in.weights.end(), [](uint64_t w) { return w == 0; })) {
    in.weights[0] = 1;
  }
  in.keys.resize(in.weights.size());
  std::iota(in.keys.begin(), in.keys.end(), *rc::gen::arbitrary<uint32_t>());
  std::shuffle(in.keys.begin(), in.keys.end(), std::mt19937_64(*rc::gen::arbitrary<uint64_t>()));
  return in;
}

std::vector<int64_t> MustSplit(const Input& in) {
  std::vector<int64_t> parts;
  const absl::Status status = Split(in.amount, in.weights, in.keys, parts);
  RC_ASSERT(status.ok());
  RC_ASSERT(parts.size() == in.weights.size());
  return parts;
}

absl::uint128 Magnitude(int64_t v) {
  return v < 0 ? absl::uint128(0 - static_cast<uint64_t>(v)) : absl::uint128(v);
}

// The slow reference: floors, then a full sort of everyone by (remainder desc, key asc).
std::vector<int64_t> ReferenceSplit(const Input& in) {
  const size_t n = in.weights.size();
  absl::uint128 total = 0;
  for (uint64_t w : in.weights) total += w;
  const absl::uint128 m = Magnitude(in.amount);
  if (m == 0) return std::vector<int64_t>(n, 0);
  std::vector<absl::uint128> parts(n, 0);
  std::vector<absl::uint128> remainders(n, 0);
  absl::uint128 given = 0;
  for (size_t i = 0; i < n; ++i) {
    parts[i] = m * in.weights[i] / total;
    remainders[i] = m * in.weights[i] % total;
    given += parts[i];
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (remainders[a] != remainders[b]) return remainders[a] > remainders[b];
    return in.keys[a] < in.keys[b];
  });
  for (size_t k = 0; given + k < m; ++k) parts[order[k]] += 1;
  std::vector<int64_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t bits = absl::Uint128Low64(parts[i]);
    out[i] = static_cast<int64_t>(in.amount < 0 ? 0 - bits : bits);
  }
  return out;
}

RC_GTEST_PROP(SplitProperty, MatchesTheFullSortReference, ()) {
  const Input in = AnyInput();
  RC_ASSERT(MustSplit(in) == ReferenceSplit(in));
}

RC_GTEST_PROP(SplitProperty, MatchesTheFullSortReferenceOnLargeInputs, ()) {
  const Input in = AnyInput(/*large=*/true);
  RC_ASSERT(MustSplit(in) == ReferenceSplit(in));
}

RC_GTEST_PROP(SplitProperty, PartsSumExactlyToTheAmount, ()) {
  const Input in = AnyInput();
  absl::int128 sum = 0;
  for (int64_t part : MustSplit(in)) sum += part;
  RC_ASSERT(sum == absl::int128(in.amount));
}

RC_GTEST_PROP(SplitProperty, EachPartIsWithinOneUnitOfItsExactShare, ()) {
  const Input in = AnyInput();
  const std::vector<int64_t> parts = MustSplit(in);
  absl::uint128 total = 0;
  for (uint64_t w : in.weights) total += w;
  if (total == 0) {
    RC_ASSERT(in.amount == 0);
    RC_ASSERT(std::all_of(parts.begin(), parts.end(), [](int64_t p) { return p == 0; }));
    return;
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    const absl::uint128 exact_times_total = Magnitude(in.amount) * in.weights[i];
    const absl::uint128 floor = exact_times_total / total;
    const absl::uint128 got = Magnitude(parts[i]);
    RC_ASSERT(parts[i] == 0 || (parts[i] < 0) == (in.amount < 0));
    RC_ASSERT(got >= floor);
    RC_ASSERT(got <= floor + (exact_times_total % total == 0 ? 0 : 1));
  }
}

RC_GTEST_PROP(SplitProperty, PermutingInputsPermutesOutputs, ()) {
  const Input in = AnyInput();
  std::vector<size_t> order(in.weights.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::shuffle(order.begin(), order.end(), std::mt19937_64(*rc::gen::arbitrary<uint64_t>()));
  Input shuffled = in;
  for (size_t i = 0; i < order.size(); ++i) {
    shuffled.weights[i] = in.weights[order[i]];
    shuffled.keys[i] = in.keys[order[i]];
  }
  const std::vector<int64_t> parts = MustSplit(in);
  const std::vector<int64_t> shuffled_parts = MustSplit(shuffled);
  for (size_t i = 0; i < order.size(); ++i) RC_ASSERT(shuffled_parts[i] == parts[order[i]]);
}

RC_GTEST_PROP(SplitProperty, NegativeAmountIsTheMirrorImage, ()) {
  Input in = AnyInput();
  RC_PRE(in.amount != INT64_MIN);
  const std::vector<int64_t> parts = MustSplit(in);
  in.amount = -in.amount;
  const std::vector<int64_t> mirrored = MustSplit(in);
  for (size_t i = 0; i < parts.size(); ++i) RC_ASSERT(mirrored[i] == -parts[i]);
}

RC_GTEST_PROP(SplitProperty, ZeroWeightGetsZeroAndRepeatsAreIdentical, ()) {
  const Input in = AnyInput();
  const std::vector<int64_t> parts = MustSplit(in);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (in.weights[i] == 0) RC_ASSERT(parts[i] == 0);
  }
  RC_ASSERT(MustSplit(in) == parts);
}

// With keys drawn from a tiny set, ties between equal keys happen: then the call fails, says
// so and leaves the output alone; when it succeeds the result matches the reference.
RC_GTEST_PROP(SplitProperty, EqualKeysEitherDecideNothingOrFail, ()) {
  Input in = AnyInput();
  for (uint64_t& key : in.keys) key = *rc::gen::inRange<uint64_t>(0, 3);
  std::vector<int64_t> parts = {-7};
  const absl::Status status = Split(in.amount, in.weights, in.keys, parts);
  if (status.ok()) {
    RC_ASSERT(parts == ReferenceSplit(in));
  } else {
    RC_TAG("tie");
    RC_ASSERT(ErrorCodeOf(status) == ErrorCode::kInvalidArgument);
    RC_ASSERT(parts == std::vector<int64_t>{-7});
  }
}

}  // namespace
}  // namespace upkeep
