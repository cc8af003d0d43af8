#include "io/csv_rows.h"

#include <algorithm>
#include <bit>

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

std::string_view KeptStrings::Keep(std::string_view text) {
  if (text.empty()) return {};  // (no block is needed, and there may be none yet)
  if (capacity_ - used_ < text.size()) {
    capacity_ = std::max(kBlockBytes, text.size());
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(capacity_));
    used_ = 0;
  }
  char* kept = blocks_.back().get() + used_;
  std::copy(text.begin(), text.end(), kept);
  used_ += text.size();
  return {kept, text.size()};
}

RowReader::RowReader(CsvReader reader, Header header, std::span<const ColumnSpec> specs,
                     std::string_view source, std::string_view key_column)
    : reader_(reader),
      header_(std::move(header)),
      specs_(specs),
      source_(source),
      key_column_(key_column),
      lines_at_start_(reader_.LinesLeft()),
      lines_(lines_at_start_) {
  for (size_t f = 0; f < specs_.size(); ++f) {
    if (specs_[f].name == key_column_) key_field_ = header_.columns[f];
  }
}

absl::StatusOr<bool> RowReader::NextRecord() {
  if (!started_) {
    for (Ahead& slot : ahead_) ReadAhead(slot);
    started_ = true;
  }
  Ahead& slot = ahead_[next_];
  const absl::StatusOr<bool> more = slot.more;
  if (!more.ok()) {
    return MakeError(ErrorCodeOf(more.status()),
                     absl::StrCat(AsAbsl(source_), ": ", more.status().message()));
  }
  if (!*more) return false;
  std::swap(record_, slot.record);
  ReadAhead(slot);
  next_ = (next_ + 1) % kAhead;
  return true;
}

void RowReader::ReadAhead(Ahead& slot) {
  if (ended_) {
    slot.more = false;
    return;
  }
  slot.more = reader_.Next(slot.record);
  if (!slot.more.ok() || !*slot.more) {
    ended_ = true;
  } else if (key_field_ && *key_field_ < slot.record.fields.size()) {
    lines_.Prefetch(slot.record.fields[*key_field_]);
  }
}

absl::Status RowReader::CheckWidth() const {
  if (record_.fields.size() == header_.width) return absl::OkStatus();
  return MakeError(ErrorCode::kParse,
                   absl::StrCat(record_.fields.size(), " fields, the header has ", header_.width));
}

absl::Status RowReader::KeepKey(std::string_view key) {
  if (lines_.full()) {
    return MakeError(ErrorCode::kInvalidArgument, "more than 4294967295 rows in one file");
  }
  const size_t first = lines_.Add(key, record_.line);
  if (first == 0) return absl::OkStatus();
  return MakeError(ErrorCode::kAlreadyExists,
                   absl::StrCat(AsAbsl(key_column_), ": duplicate ", AsAbsl(key),
                                " (first on line ", first, ")"));
}

RejectedRow RowReader::Rejected(const absl::Status& problem) const {
  return {record_.line, ErrorCodeOf(problem),
          absl::StrCat(AsAbsl(source_), ":", record_.line, ": ", problem.message())};
}

FirstLines::FirstLines(size_t expected) {
  entries_.reserve(expected);
  slots_ = ZeroedArray<uint64_t>(std::max<size_t>(16, std::bit_ceil(expected * 2)));
  mask_ = slots_.size() - 1;
}

uint64_t FirstLines::HashOf(std::string_view key) {
  return absl::Hash<absl::string_view>()(AsAbsl(key));
}

size_t FirstLines::Add(std::string_view key, size_t line) {
  const uint64_t hash = HashOf(key);
  for (size_t i = hash & mask_; slots_[i] != 0; i = (i + 1) & mask_) {
    if (slots_[i] >> 32 != Tag(hash)) continue;
    const Entry& entry = entries_[(slots_[i] & 0xFFFF'FFFF) - 1];
    if (entry.key == key) return entry.line;
  }
  entries_.push_back({keys_.Keep(key), line});
  if (entries_.size() * 2 > slots_.size()) {
    Grow();  // places the new entry too
  } else {
    Place(hash, entries_.size());
  }
  return 0;
}

void FirstLines::Place(uint64_t hash, uint64_t number) {
  size_t i = hash & mask_;
  while (slots_[i] != 0) i = (i + 1) & mask_;
  slots_[i] = Tag(hash) << 32 | number;
}

void FirstLines::Grow() {
  slots_ = ZeroedArray<uint64_t>(slots_.size() * 2);
  mask_ = slots_.size() - 1;
  for (size_t k = 0; k < entries_.size(); ++k) Place(HashOf(entries_[k].key), k + 1);
}

absl::Status CellReader::Error(ErrorCode code, size_t field, std::string_view what) const {
  return MakeError(code, absl::StrCat(AsAbsl(specs_[field].name), ": ", AsAbsl(what)));
}

absl::StatusOr<std::string_view> CellReader::Text(size_t field, bool may_be_empty) const {
  if (!columns_[field]) return std::string_view();
  const std::string_view text = record_.fields[*columns_[field]];
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
  absl::StatusOr<std::string_view> text = Text(field, /*may_be_empty=*/true);
  if (!text.ok()) return text.status();
  if (text->empty()) return std::optional<int64_t>();
  int64_t value = 0;
  if (!absl::SimpleAtoi(AsAbsl(*text), &value)) {
    return Error(ErrorCode::kParse, field,
                 absl::StrCat("not a whole number: \"", AsAbsl(*text), "\""));
  }
  if (value < min || value > max) {
    return Error(ErrorCode::kInvalidArgument, field,
                 absl::StrCat(value, " is outside ", min, "..", max));
  }
  return std::optional<int64_t>(value);
}

}  // namespace upkeep::io::internal
