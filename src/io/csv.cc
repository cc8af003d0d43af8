#include "upkeep/io/csv.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "upkeep/status.h"

namespace upkeep::io {

CsvReader::CsvReader(std::string_view text) : text_(text) {
  // A UTF-8 byte order mark at the start is not part of the first field.
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") position_ = 3;
}

absl::StatusOr<bool> CsvReader::Next(CsvRecord& record) {
  // Skip blank lines.
  while (position_ < text_.size() && (text_[position_] == '\n' || text_[position_] == '\r')) {
    if (text_[position_] == '\n') ++line_;
    ++position_;
  }
  if (position_ >= text_.size()) return false;

  record.fields.clear();
  record.line = line_;
  std::string field;
  bool quoted_field = false;
  while (true) {
    if (position_ >= text_.size()) {
      record.fields.push_back(std::move(field));
      return true;
    }
    const char c = text_[position_];
    if (c == '"') {
      if (!field.empty() || quoted_field) {
        return MakeError(ErrorCode::kParse,
                         absl::StrCat("line ", line_, ": a quote inside an unquoted field"));
      }
      quoted_field = true;
      const size_t start_line = line_;
      ++position_;
      while (true) {
        if (position_ >= text_.size()) {
          return MakeError(ErrorCode::kParse,
                           absl::StrCat("line ", start_line, ": a quoted field is never closed"));
        }
        const char q = text_[position_++];
        if (q == '"') {
          if (position_ < text_.size() && text_[position_] == '"') {
            field += '"';
            ++position_;
            continue;
          }
          break;
        }
        if (q == '\n') ++line_;
        field += q;
      }
      if (position_ < text_.size() && text_[position_] != ',' && text_[position_] != '\n' &&
          text_[position_] != '\r') {
        return MakeError(ErrorCode::kParse,
                         absl::StrCat("line ", line_, ": text after a closing quote"));
      }
      continue;
    }
    if (c == ',') {
      record.fields.push_back(std::move(field));
      field.clear();
      quoted_field = false;
      ++position_;
      continue;
    }
    if (c == '\r' || c == '\n') {
      record.fields.push_back(std::move(field));
      if (c == '\r' && position_ + 1 < text_.size() && text_[position_ + 1] == '\n') ++position_;
      ++position_;
      ++line_;
      return true;
    }
    if (quoted_field) {
      return MakeError(ErrorCode::kParse,
                       absl::StrCat("line ", line_, ": text after a closing quote"));
    }
    field += c;
    ++position_;
  }
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIo, absl::StrCat(path, ": ", std::strerror(errno)));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return MakeError(ErrorCode::kIo, absl::StrCat(path, ": read failed"));
  return std::move(contents).str();
}

}  // namespace upkeep::io
