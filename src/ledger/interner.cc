#include "ledger/interner.h"

#include <cstring>
#include <stdexcept>

namespace upkeep::ledger {

size_t Interner::MemoryBytes() const {
  return blocks_.size() * kBlockBytes + names_.MemoryBytes() + slots_.MemoryBytes();
}

void Interner::Grow(size_t count) {
  size_t size = 16;
  int shift = 28;
  while (count * 4 > size * 3) {
    if (shift == 0) throw std::length_error("more than 3 billion names");  // indices are 32-bit
    size *= 2;
    --shift;
  }
  if (size <= slots_.size()) return;
  ZeroedArray<uint64_t> slots(size);
  const size_t mask = size - 1;
  // Old slots in order land in the new table in (nearly) the same order: sequential writes.
  for (size_t k = 0; k < slots_.size(); ++k) {
    const uint64_t slot = slots_[k];
    if (slot == 0) continue;
    size_t i = size_t{static_cast<uint32_t>(slot >> 32)} >> shift;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = slot;
  }
  slots_ = std::move(slots);
  mask_ = mask;
  shift_ = shift;
}

std::string_view Interner::Store(std::string_view name) {
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

}  // namespace upkeep::ledger
