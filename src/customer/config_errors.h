// customer/config_errors.h: errors about a classifier's configuration, named the way the user
// wrote it (internal).
//
// The same validation serves C++ config structs and policy documents: it names a field as a
// '/'-separated path of keys and indices ("cumulative_pct/1"), and this class turns that into
//   C++:  kInvalidArgument "abc: cumulative_pct[1]: must be greater than the previous bound"
//   JSON: kPolicyInvalid   "/classification/cumulative_pct/1: must be greater than the previous
//   bound"
//
// Thread safety: immutable value.
#ifndef UPKEEP_CUSTOMER_CONFIG_ERRORS_H_
#define UPKEEP_CUSTOMER_CONFIG_ERRORS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace upkeep::customer_internal {

class ConfigErrors {
 public:
  // For a C++ config struct of the classifier `classifier` ("abc").
  static ConfigErrors ForStruct(std::string_view classifier);
  // For a policy document section at JSON Pointer `section_path` ("/classification").
  static ConfigErrors ForSection(std::string_view section_path);

  // The error for `field` ("" for the config as a whole).
  absl::Status At(std::string_view field, std::string_view message) const;

 private:
  ConfigErrors(bool json, std::string_view prefix) : json_(json), prefix_(prefix) {}
  bool json_;
  std::string prefix_;
};

}  // namespace upkeep::customer_internal

#endif  // UPKEEP_CUSTOMER_CONFIG_ERRORS_H_
