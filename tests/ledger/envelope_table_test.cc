// EnvelopeTable: the envelope scope of each customer, and the line those scopes lie on.
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/ledger_state.h"

namespace upkeep::ledger {
namespace {

TEST(EnvelopeTableTest, KeepsEachCustomersEnvelope) {
  EnvelopeTable table;
  EXPECT_EQ(table.Of(0), kNone);
  table.Set(3, 70, 10);
  EXPECT_EQ(table.size(), 10u);
  EXPECT_EQ(table.Of(3), 70u);
  EXPECT_EQ(table.Of(2), kNone);
  EXPECT_EQ(table.Of(10), kNone);  // past the table
  table.Set(12, 71, 20);           // a customer defined later grows it
  EXPECT_EQ(table.Of(12), 71u);
  EXPECT_EQ(table.Of(3), 70u);
  EXPECT_EQ(*table.CellOf(12), 71u);
}

// Envelopes made in customer order, one category after another's (step 1) or interleaved with
// two more categories (step 3), lie on a line: it predicts every customer, set or not.
TEST(EnvelopeTableTest, PredictsTheScopesOfAnAllocationInCustomerOrder) {
  for (const uint32_t step : {1u, 3u}) {
    EnvelopeTable table;
    EXPECT_EQ(table.Predict(0), kNone);
    for (uint32_t customer = 0; customer < 1000; ++customer) {
      table.Set(customer, 40 + step * customer, 1000);
    }
    for (uint32_t customer = 0; customer < 1000; ++customer) {
      EXPECT_EQ(table.Predict(customer), table.Of(customer)) << step;
    }
  }
}

// A few envelopes made out of order (customers added later) leave the line predicting the
// rest; scopes in no order predict nothing.
TEST(EnvelopeTableTest, PredictsOnlyWhileMostEnvelopesAreOnTheLine) {
  EnvelopeTable mostly;
  for (uint32_t customer = 0; customer < 1000; ++customer) {
    mostly.Set(customer, customer % 100 == 99 ? 5000 + customer : 10 + customer, 1000);
  }
  EXPECT_EQ(mostly.Predict(500), 510u);
  EXPECT_EQ(mostly.Predict(999), 1009u);  // not where it is: a prefetch that misses

  EnvelopeTable shuffled;
  std::vector<uint32_t> customers(1000);
  for (uint32_t i = 0; i < customers.size(); ++i) customers[i] = i;
  std::shuffle(customers.begin(), customers.end(), std::mt19937(7));
  for (uint32_t i = 0; i < customers.size(); ++i) shuffled.Set(customers[i], 10 + i, 1000);
  EXPECT_EQ(shuffled.Predict(500), kNone);
}

// A line that starts badly (the first two envelopes far apart) is found from later ones; a
// decreasing line wraps correctly.
TEST(EnvelopeTableTest, FindsALineAfterABadStartAndGoingDown) {
  EnvelopeTable table;
  table.Set(0, 7, 100);
  table.Set(1, 2000, 100);
  for (uint32_t customer = 2; customer < 100; ++customer) table.Set(customer, 3000 + customer, 100);
  EXPECT_EQ(table.Predict(50), 3050u);

  EnvelopeTable down;
  for (uint32_t customer = 0; customer < 100; ++customer) down.Set(customer, 500 - customer, 100);
  EXPECT_EQ(down.Predict(99), 401u);
  EXPECT_EQ(down.Predict(0), 500u);
}

}  // namespace
}  // namespace upkeep::ledger
