// monitor/json_text.h: how monitoring results write money and optional numbers (not public).
#ifndef UPKEEP_MONITOR_JSON_TEXT_H_
#define UPKEEP_MONITOR_JSON_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "nlohmann/json.hpp"
#include "upkeep/currency.h"
#include "upkeep/money.h"

namespace upkeep::monitor::internal {

// "1234.56" for 123456 minor units of CNY.
inline std::string Amount(int64_t minor, Currency currency) {
  return Money::FromMinor(minor, currency).ToDecimalString();
}

// The value, or JSON null when there is none.
template <typename T>
nlohmann::json Optional(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

}  // namespace upkeep::monitor::internal

#endif  // UPKEEP_MONITOR_JSON_TEXT_H_
