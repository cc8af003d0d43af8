#include "io/csv_rows.h"

#include "absl/strings/numbers.h"
#include "upkeep/money.h"
#include "upkeep/utf8.h"

namespace upkeep::io::internal {

absl::StatusOr<Header> ReadHeader(CsvReader& reader, std::span<const ColumnSpec> specs,
                                  std::string_view source) {
  CsvRecord header;
  absl::StatusOr<bool> has_header = reader.Next(header);
  if (!has_header.ok()) {
    return MakeError(ErrorCodeOf(has_header.status()),
                     absl::StrCat(AsAbsl(source), ": ", has_header.status().message()));
  }
  if (!*has_header) {
    return MakeError(ErrorCode::kParse, absl::StrCat(AsAbsl(source), ": no header row"));
  }
  Columns columns(specs.size());
  for (size_t c = 0; c < header.fields.size(); ++c) {
    for (size_t f = 0; f < specs.size(); ++f) {
      if (header.fields[c] != specs[f].name) continue;
      if (columns[f]) {
        return MakeError(ErrorCode::kParse,
                         absl::StrCat(AsAbsl(source), ":", header.line, ": column ",
                                      AsAbsl(specs[f].name), " twice"));
      }
      columns[f] = c;
    }
  }
  for (size_t f = 0; f < specs.size(); ++f) {
    if (!columns[f] && !specs[f].optional) {
      return MakeError(ErrorCode::kParse, absl::StrCat(AsAbsl(source), ":", header.line,
                                                       ": missing column ", AsAbsl(specs[f].name)));
    }
  }
  return Header{std::move(columns), header.fields.size()};
}

absl::Status CellReader::Error(ErrorCode code, size_t field, std::string_view what) const {
  return MakeError(code, absl::StrCat(AsAbsl(specs_[field].name), ": ", AsAbsl(what)));
}

absl::StatusOr<std::string> CellReader::Text(size_t field, bool may_be_empty) const {
  if (!columns_[field]) return std::string();
  const std::string& text = record_.fields[*columns_[field]];
  const size_t bad_byte = FirstInvalidUtf8Byte(text);
  if (bad_byte != text.size()) {
    return Error(ErrorCode::kInvalidUtf8, field, absl::StrCat("invalid UTF-8 at byte ", bad_byte));
  }
  if (text.empty() && !may_be_empty) {
    return Error(ErrorCode::kInvalidArgument, field, "must not be empty");
  }
  return text;
}

absl::StatusOr<int64_t> CellReader::Amount(size_t field, std::string_view text, Currency currency,
                                           bool positive) const {
  absl::StatusOr<Money> amount = Money::Parse(text, currency);
  if (!amount.ok()) {
    return Error(ErrorCodeOf(amount.status()), field,
                 absl::StrCat(amount.status().message(), ": \"", AsAbsl(text), "\""));
  }
  if (positive && amount->amount_minor() <= 0) {
    return Error(ErrorCode::kInvalidArgument, field,
                 absl::StrCat("must be above zero: ", AsAbsl(text)));
  }
  if (!positive && amount->amount_minor() < 0) {
    return Error(ErrorCode::kInvalidArgument, field,
                 absl::StrCat("must not be negative: ", AsAbsl(text)));
  }
  return amount->amount_minor();
}

absl::StatusOr<std::optional<int64_t>> CellReader::Integer(size_t field, int64_t min,
                                                           int64_t max) const {
  absl::StatusOr<std::string> text = Text(field, /*may_be_empty=*/true);
  if (!text.ok()) return text.status();
  if (text->empty()) return std::optional<int64_t>();
  int64_t value = 0;
  if (!absl::SimpleAtoi(*text, &value)) {
    return Error(ErrorCode::kParse, field, absl::StrCat("not a whole number: \"", *text, "\""));
  }
  if (value < min || value > max) {
    return Error(ErrorCode::kInvalidArgument, field,
                 absl::StrCat(value, " is outside ", min, "..", max));
  }
  return std::optional<int64_t>(value);
}

}  // namespace upkeep::io::internal
