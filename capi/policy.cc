// capi/policy.cc: policy documents compiled into immutable policy sets.
#include "capi/internal.h"

using upkeep::capi::Guard;

extern "C" {

upk_status upk_policy_compile(upk_policy** out, upk_str document, const upk_registry* registry) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(out, "out"); s != UPK_OK) return s;
    std::string_view text;
    if (upk_status s = upkeep::capi::Text(document, "document", &text); s != UPK_OK) return s;
    absl::StatusOr<std::shared_ptr<const upkeep::PolicySet>> set =
        registry == nullptr ? upkeep::PolicySet::Compile(text)
                            : upkeep::PolicySet::Compile(text, registry->policies);
    if (!set.ok()) return upkeep::capi::FromStatus(set.status());
    *out = new upk_policy{*std::move(set)};
    return UPK_OK;
  });
}

void upk_policy_free(upk_policy* policy) {
  upkeep::capi::GuardVoid([&] { delete policy; });
}

upk_status upk_policy_currency(upk_str* out, const upk_policy* policy) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::NotNull(policy, "policy"); s != UPK_OK) return s;
    *out = upkeep::capi::Borrow(policy->set->currency().code());
    return UPK_OK;
  });
}

upk_status upk_policy_tier_count(size_t* out, const upk_policy* policy) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::NotNull(policy, "policy"); s != UPK_OK) return s;
    *out = policy->set->tier_names().size();
    return UPK_OK;
  });
}

upk_status upk_policy_tier_name(upk_str* out, const upk_policy* policy, size_t tier) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::NotNull(policy, "policy"); s != UPK_OK) return s;
    const std::vector<std::string>& names = policy->set->tier_names();
    if (tier >= names.size()) {
      return upkeep::capi::Fail(UPK_NOT_FOUND, "tier index out of range");
    }
    *out = upkeep::capi::Borrow(names[tier]);
    return UPK_OK;
  });
}

}  // extern "C"
