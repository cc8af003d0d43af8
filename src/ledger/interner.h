// ledger/interner.h: strings to dense indices, with the text kept in stable arena blocks.
// Internal. The index is an open-addressing table of 8-byte slots (a 32-bit tag of the name's
// hash and the name's index) probed linearly from the slot the hash's top bits pick, kept at
// most 3/4 full. A lookup reads one slot run (usually one cache line) and compares the text only
// on a tag match; growing streams the old table into the new one in order (the top bits of a tag
// place it in either size), reading no text. Large tables sit on huge pages (ZeroedArray), since
// the op id index of a big book is probed at random on every operation.
// A name of up to 15 bytes is kept inside its 16-byte entry (so comparing it reads no other
// memory: one cache miss fewer per lookup of a customer or op id); a longer one in the arena,
// its entry pointing there.
// Memory per name: a 16-byte entry (+ its bytes if longer than 15) + 10.7 to 21.3 bytes of slots.
// Thread safety: none; the ledger's lock guards it.
#ifndef UPKEEP_SRC_LEDGER_INTERNER_H_
#define UPKEEP_SRC_LEDGER_INTERNER_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "base/name_hash.h"
#include "base/same_bytes.h"
#include "base/stable_vector.h"
#include "base/zeroed_array.h"

namespace upkeep::ledger {

inline constexpr uint32_t kNone = 0xFFFFFFFFu;

class Interner {
 public:
  // The index of `name`, or kNone.
  uint32_t Find(std::string_view name) const { return Find(name, TagOf(name)); }
  // The same with `tag` == TagOf(name), computed once by a caller.
  uint32_t Find(std::string_view name, uint32_t tag) const {
    if (slots_.size() == 0) return kNone;
    const uint64_t slot = slots_[Probe(name, tag)];
    return slot == 0 ? kNone : IndexOf(slot);
  }
  // The index of `name`, adding it if new; `second` is true when it was added.
  std::pair<uint32_t, bool> Intern(std::string_view name) { return Intern(name, TagOf(name)); }
  // The same with `tag` == TagOf(name), computed once by a caller that prefetched with it.
  std::pair<uint32_t, bool> Intern(std::string_view name, uint32_t tag) {
    if ((names_.size() + 1) * 4 > slots_.size() * 3) Grow(names_.size() + 1);
    const size_t i = Probe(name, tag);
    if (slots_[i] != 0) return {IndexOf(slots_[i]), false};
    const auto index = static_cast<uint32_t>(names_.size());
    slots_[i] = SlotOf(tag, index);
    NameEntry& entry = names_.emplace_back();  // filled in place (StableVector::emplace_back)
    if (name.size() <= NameEntry::kInlineMax) {
      entry.SetInline(name);
    } else {
      entry.SetKept(Store(name));
    }
    return {index, true};
  }
  // Makes room in the hash table for `count` more names (loading a snapshot, or a host about to
  // add many): adding them then never rehashes. (The names themselves never move.)
  void Reserve(size_t count) { Grow(names_.size() + count); }
  // Starts loading the memory a Find or Intern of `name` (whose TagOf is `tag`) will read.
  void Prefetch(std::string_view name) const { Prefetch(TagOf(name)); }
  void Prefetch(uint32_t tag) const {
    if (slots_.size() != 0) __builtin_prefetch(&slots_[HomeOf(tag)]);
  }
  // With the slots of `tag` loaded (Prefetch), starts loading the entry of the first name there
  // that carries `tag` and returns its index: most likely the name's, but unconfirmed (its text
  // is not compared). kNone when no slot carries the tag.
  uint32_t PrefetchEntry(uint32_t tag) const {
    if (slots_.size() == 0) return kNone;
    for (size_t i = HomeOf(tag); slots_[i] != 0; i = (i + 1) & mask_) {
      if (static_cast<uint32_t>(slots_[i] >> 32) != tag) continue;
      const uint32_t index = IndexOf(slots_[i]);
      __builtin_prefetch(&names_[index]);
      return index;
    }
    return kNone;
  }
  // The 32 bits of a name's hash that place and tag it.
  static uint32_t TagOf(std::string_view name) {
    return static_cast<uint32_t>(NameHash(name) >> 32);
  }
  std::string_view Name(uint32_t index) const { return names_[index].view(); }
  uint32_t size() const { return static_cast<uint32_t>(names_.size()); }
  size_t MemoryBytes() const;

 private:
  // A slot: the tag above the index + 1 (0 is an empty slot).
  static uint64_t SlotOf(uint32_t tag, uint32_t index) {
    return uint64_t{tag} << 32 | (uint64_t{index} + 1);
  }
  static uint32_t IndexOf(uint64_t slot) { return static_cast<uint32_t>(slot) - 1; }
  size_t HomeOf(uint32_t tag) const { return size_t{tag} >> shift_; }
  // The slot that holds `name`, or the empty slot where it would go. REQUIRES: a table.
  size_t Probe(std::string_view name, uint32_t tag) const {
    size_t i = HomeOf(tag);
    for (uint64_t slot; (slot = slots_[i]) != 0; i = (i + 1) & mask_) {
      if (static_cast<uint32_t>(slot >> 32) == tag &&
          SameBytes(names_[IndexOf(slot)].view(), name)) {
        break;
      }
    }
    return i;
  }
  // Makes the table hold `count` names at most 3/4 full.
  void Grow(size_t count);
  std::string_view Store(std::string_view name);

  static constexpr size_t kBlockBytes = 1 << 16;

  ZeroedArray<uint64_t> slots_;  // size a power of two (>= 16), or 0
  size_t mask_ = 0;              // slots_.size() - 1
  int shift_ = 32;               // 32 - log2(slots_.size())
  // A name: up to kInlineMax bytes in the entry itself, else a view of where the arena keeps it.
  class NameEntry {
   public:
    static constexpr size_t kInlineMax = 15;
    // Sets a new (zeroed) entry. REQUIRES: name.size() <= kInlineMax.
    void SetInline(std::string_view name) {
      if (!name.empty()) std::memcpy(bytes_, name.data(), name.size());
      bytes_[kInlineMax] = static_cast<char>(name.size());
    }
    // `kept` stays where it is for the entry's life. REQUIRES: kept.size() < 2^32.
    void SetKept(std::string_view kept) {
      const char* data = kept.data();
      const auto size = static_cast<uint32_t>(kept.size());
      std::memcpy(bytes_, &data, sizeof data);
      std::memcpy(bytes_ + sizeof data, &size, sizeof size);
      bytes_[kInlineMax] = static_cast<char>(kKept);
    }
    std::string_view view() const {
      const auto tag = static_cast<unsigned char>(bytes_[kInlineMax]);
      if (tag != kKept) return std::string_view(bytes_, tag);
      const char* data = nullptr;
      uint32_t size = 0;
      std::memcpy(&data, bytes_, sizeof data);
      std::memcpy(&size, bytes_ + sizeof data, sizeof size);
      return std::string_view(data, size);
    }

   private:
    static constexpr unsigned char kKept = 0xFF;
    char bytes_[16] = {};
  };
  StableVector<NameEntry> names_;  // never moved: growing copies nothing
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::unique_ptr<char[]>> large_;
  size_t used_ = 0;
};

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_INTERNER_H_
