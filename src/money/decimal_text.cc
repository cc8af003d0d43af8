// Scanning decimal text: the grammar in decimal_text.h, with a specific message for each mistake.
#include "money/decimal_text.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/absl_compat.h"
#include "upkeep/status.h"

namespace upkeep::money_internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The length of the run of digits at the start of `text`.
size_t DigitRun(std::string_view text) {
  size_t n = 0;
  while (n < text.size() && IsDigit(text[n])) ++n;
  return n;
}

absl::Status ParseError(std::string_view what, std::string_view text, std::string_view why) {
  return MakeError(ErrorCode::kParse,
                   absl::StrFormat("%s %s: %s", what, QuoteForMessage(text), why));
}

// Why the character at `pos` cannot be there.
std::string Unexpected(std::string_view text, size_t pos) {
  const char c = text[pos];
  std::string_view hint;
  if (c == 'e' || c == 'E') {
    hint = " (exponents are not accepted)";
  } else if (c == ',' || c == '_' || c == '\'') {
    hint = " (digit separators are not accepted)";
  } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
    hint = " (spaces are not accepted)";
  }
  return absl::StrFormat(
      "unexpected character '%s' at position %d%s; expected digits with an "
      "optional '.'",
      absl::CHexEscape(AsAbsl(std::string_view(&c, 1))), pos, hint);
}

}  // namespace

std::string QuoteForMessage(std::string_view text) {
  const std::string_view shown = text.substr(0, kMaxDecimalTextLength);
  return absl::StrCat("\"", absl::CHexEscape(AsAbsl(shown)),
                      text.size() > shown.size() ? "\"..." : "\"");
}

std::string FormatFixedPoint(int64_t value, int fraction_digits) {
  const uint64_t magnitude =
      value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string text = absl::StrCat(magnitude);
  const auto fraction_length = static_cast<size_t>(fraction_digits);
  if (text.size() <= fraction_length) text.insert(0, fraction_length + 1 - text.size(), '0');
  if (fraction_length > 0) text.insert(text.size() - fraction_length, 1, '.');
  if (value < 0) text.insert(0, 1, '-');
  return text;
}

absl::StatusOr<DecimalText> ScanDecimalText(std::string_view text, std::string_view what) {
  if (text.empty()) return ParseError(what, text, "empty; expected a decimal number like 12.50");
  if (text.size() > kMaxDecimalTextLength) {
    return ParseError(what, text,
                      absl::StrCat("longer than ", kMaxDecimalTextLength, " characters"));
  }
  DecimalText out;
  size_t pos = 0;
  if (text[0] == '-' || text[0] == '+') {
    out.negative = text[0] == '-';
    pos = 1;
    if (text.size() == 1) return ParseError(what, text, "a sign without digits");
  }
  const size_t integer_length = DigitRun(text.substr(pos));
  if (integer_length == 0) {
    if (text[pos] == '.') {
      return ParseError(what, text, "a digit is required before '.' (write 0.5, not .5)");
    }
    return ParseError(what, text, Unexpected(text, pos));
  }
  out.integer_digits = text.substr(pos, integer_length);
  pos += integer_length;
  if (pos == text.size()) return out;
  if (text[pos] != '.') return ParseError(what, text, Unexpected(text, pos));
  ++pos;
  const size_t fraction_length = DigitRun(text.substr(pos));
  if (fraction_length == 0) {
    if (pos == text.size()) {
      return ParseError(what, text, "a digit is required after '.' (write 5 or 5.0, not 5.)");
    }
    return ParseError(what, text, Unexpected(text, pos));
  }
  out.fraction_digits = text.substr(pos, fraction_length);
  pos += fraction_length;
  if (pos != text.size()) return ParseError(what, text, Unexpected(text, pos));
  return out;
}

}  // namespace upkeep::money_internal
