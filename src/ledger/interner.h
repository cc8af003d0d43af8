// ledger/interner.h: strings to dense indices, with the text kept in stable arena blocks.
// Internal. The hash map holds its own std::string keys so that a lookup of a short id (up to
// 15 bytes, inline in the slot) costs no extra cache miss to compare the key; the arena copy
// gives Name() a stable view. Memory per name: its bytes + a 16-byte view + a ~40-byte slot.
// Thread safety: none; the ledger's lock guards it.
#ifndef UPKEEP_SRC_LEDGER_INTERNER_H_
#define UPKEEP_SRC_LEDGER_INTERNER_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace upkeep::ledger {

inline constexpr uint32_t kNone = 0xFFFFFFFFu;

class Interner {
 public:
  // The index of `name`, or kNone.
  uint32_t Find(std::string_view name) const {
    auto it = index_.find(absl::string_view(name.data(), name.size()));
    return it == index_.end() ? kNone : it->second;
  }
  // The index of `name`, adding it if new; `second` is true when it was added.
  std::pair<uint32_t, bool> Intern(std::string_view name) {
    const auto index = static_cast<uint32_t>(names_.size());
    auto [it, added] = index_.try_emplace(absl::string_view(name.data(), name.size()), index);
    if (!added) return {it->second, false};
    names_.push_back(Store(name));
    return {index, true};
  }
  // Makes room for `count` more names (loading a snapshot).
  void Reserve(size_t count) {
    index_.reserve(names_.size() + count);
    names_.reserve(names_.size() + count);
  }
  // Starts loading the memory a Find or Intern of `name` will read.
  void Prefetch(std::string_view name) const {
    index_.prefetch(absl::string_view(name.data(), name.size()));
  }
  std::string_view Name(uint32_t index) const { return names_[index]; }
  uint32_t size() const { return static_cast<uint32_t>(names_.size()); }
  size_t MemoryBytes() const {
    return blocks_.size() * kBlockBytes + names_.capacity() * sizeof(std::string_view) +
           index_.capacity() * (sizeof(std::pair<std::string, uint32_t>) + 1);
  }

 private:
  static constexpr size_t kBlockBytes = 1 << 16;

  std::string_view Store(std::string_view name) {
    if (name.size() > kBlockBytes / 4) {  // a long name gets its own block
      large_.push_back(std::make_unique<char[]>(name.size()));
      std::memcpy(large_.back().get(), name.data(), name.size());
      return std::string_view(large_.back().get(), name.size());
    }
    if (blocks_.empty() || used_ + name.size() > kBlockBytes) {
      blocks_.push_back(std::make_unique<char[]>(kBlockBytes));
      used_ = 0;
    }
    char* out = blocks_.back().get() + used_;
    if (!name.empty()) std::memcpy(out, name.data(), name.size());
    used_ += name.size();
    return std::string_view(out, name.size());
  }

  absl::flat_hash_map<std::string, uint32_t> index_;
  std::vector<std::string_view> names_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::unique_ptr<char[]>> large_;
  size_t used_ = 0;
};

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_INTERNER_H_
