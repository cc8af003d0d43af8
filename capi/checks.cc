// capi/checks.cc: C arguments checked and converted to C++ values, and values written back.
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "capi/internal.h"
#include "upkeep/utf8.h"

namespace upkeep::capi {

upk_status NotNull(const void* p, const char* what) {
  if (p != nullptr) return UPK_OK;
  return Fail(UPK_NULL_ARGUMENT, absl::StrCat(what, " is NULL"));
}

upk_status CheckStructSize(const void* p, size_t size, size_t expected, const char* what) {
  if (p == nullptr) return NotNull(p, what);
  if (size < expected) {
    return Fail(UPK_INVALID_ARGUMENT,
                absl::StrCat(what, ": size is ", size, ", expected ", expected,
                             " (initialise it with its _INIT macro)"));
  }
  if (size > expected) {
    return Fail(UPK_UNSUPPORTED_VERSION,
                absl::StrCat(what, ": size ", size, " is from a newer upkeep header than this ",
                             UPK_VERSION_STRING, " library (", expected, ")"));
  }
  return UPK_OK;
}

upk_status Text(upk_str s, const char* what, std::string_view* out) {
  if (s.data == nullptr) {
    if (s.size != 0) {
      return Fail(UPK_NULL_ARGUMENT, absl::StrCat(what, ": data is NULL but size is ", s.size));
    }
    *out = std::string_view();
    return UPK_OK;
  }
  if (s.size > kMaxTextBytes) {
    return Fail(
        UPK_INVALID_ARGUMENT,
        absl::StrCat(what, ": size ", s.size, " exceeds the limit of ", kMaxTextBytes, " bytes"));
  }
  const void* nul = std::memchr(s.data, 0, s.size);
  if (nul != nullptr) {
    const auto at = static_cast<const char*>(nul) - s.data;
    return Fail(UPK_INVALID_ARGUMENT, absl::StrCat(what, ": NUL byte at offset ", at, " of ",
                                                   s.size, " (is the length wrong?)"));
  }
  const std::string_view text(s.data, s.size);
  const size_t bad = FirstInvalidUtf8Byte(text);
  if (bad != text.size()) {
    return Fail(UPK_INVALID_UTF8, absl::StrCat(what, ": invalid UTF-8 at byte ", bad));
  }
  *out = text;
  return UPK_OK;
}

upk_status CurrencyOf(upk_str code, const char* what, Currency* out) {
  std::string_view text;
  if (upk_status s = Text(code, what, &text); s != UPK_OK) return s;
  absl::StatusOr<Currency> currency = Currency::FromCode(text);
  if (!currency.ok()) return FromStatus(currency.status());
  *out = *currency;
  return UPK_OK;
}

upk_status CurrencyOf(const char (&code)[4], const char* what, Currency* out) {
  const void* end = std::memchr(code, 0, sizeof(code));
  if (end == nullptr) {
    return Fail(UPK_UNKNOWN_CURRENCY, absl::StrCat(what, ": currency code is not NUL-terminated"));
  }
  const size_t length = static_cast<size_t>(static_cast<const char*>(end) - code);
  return CurrencyOf(upk_str{code, length}, what, out);
}

upk_status MoneyOf(const upk_money& money, const char* what, Money* out) {
  Currency currency;
  if (upk_status s = CurrencyOf(money.currency, what, &currency); s != UPK_OK) return s;
  *out = Money::FromMinor(money.amount_minor, currency);
  return UPK_OK;
}

upk_money ToC(Money money) {
  upk_money out{money.amount_minor(), {0, 0, 0, 0}};
  const std::string_view code = money.currency().code();
  std::memcpy(out.currency, code.data(), std::min(code.size(), sizeof(out.currency) - 1));
  return out;
}

upk_str Borrow(std::string_view text) { return upk_str{text.data(), text.size()}; }

upk_status Emit(std::string_view text, char** out) {
  if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy == nullptr) return Fail(UPK_INTERNAL, "out of memory");
  if (!text.empty()) std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  *out = copy;
  return UPK_OK;
}

upk_status ScopeOf(const upk_scope* scope, const char* what, ledger::ScopeRef* out) {
  if (upk_status s = CheckStruct(scope, what); s != UPK_OK) return s;
  if (scope->kind < UPK_SCOPE_COMPANY || scope->kind > UPK_SCOPE_REGION) {
    return Fail(UPK_INVALID_ARGUMENT, absl::StrCat(what, ": unknown scope kind ", scope->kind));
  }
  std::string_view period, key, category;
  if (upk_status s = Text(scope->period, "scope period", &period); s != UPK_OK) return s;
  if (upk_status s = Text(scope->key, "scope key", &key); s != UPK_OK) return s;
  if (upk_status s = Text(scope->category, "scope category", &category); s != UPK_OK) return s;
  *out = ledger::ScopeRef{.period = std::string(period),
                          .kind = static_cast<ledger::ScopeKind>(scope->kind),
                          .key = std::string(key),
                          .category = std::string(category)};
  return UPK_OK;
}

void FillScope(const ledger::ScopeRef& scope, upk_scope* out) {
  out->size = sizeof(upk_scope);
  out->period = Borrow(scope.period);
  out->kind = static_cast<int32_t>(scope.kind);
  out->key = Borrow(scope.key);
  out->category = Borrow(scope.category);
}

void FillBalance(const ledger::Balance& balance, upk_balance* out) {
  out->size = sizeof(upk_balance);
  out->budget_minor = balance.budget_minor;
  out->reserved_minor = balance.reserved_minor;
  out->spent_minor = balance.spent_minor;
  out->available_minor = balance.available_minor;
  out->budget_version = balance.budget_version;
}

}  // namespace upkeep::capi

using upkeep::capi::Guard;

extern "C" {

upk_status upk_currency_exponent(int32_t* out, upk_str currency) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(out, "out"); s != UPK_OK) return s;
    upkeep::Currency c;
    if (upk_status s = upkeep::capi::CurrencyOf(currency, "currency", &c); s != UPK_OK) return s;
    *out = c.minor_exponent();
    return UPK_OK;
  });
}

upk_status upk_money_format(char** out, upk_money money) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(out, "out"); s != UPK_OK) return s;
    upkeep::Money m;
    if (upk_status s = upkeep::capi::MoneyOf(money, "money", &m); s != UPK_OK) return s;
    return upkeep::capi::Emit(m.ToDecimalString(), out);
  });
}

upk_status upk_money_parse(upk_money* out, upk_str decimal, upk_str currency) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(out, "out"); s != UPK_OK) return s;
    upkeep::Currency c;
    if (upk_status s = upkeep::capi::CurrencyOf(currency, "currency", &c); s != UPK_OK) return s;
    std::string_view text;
    if (upk_status s = upkeep::capi::Text(decimal, "decimal", &text); s != UPK_OK) return s;
    absl::StatusOr<upkeep::Money> m = upkeep::Money::Parse(text, c);
    if (!m.ok()) return upkeep::capi::FromStatus(m.status());
    *out = upkeep::capi::ToC(*m);
    return UPK_OK;
  });
}

}  // extern "C"
