// relata/detail/json_depth.hpp: how deep a parsed JSON document nests, found without recursion
// (the document may be deep enough to overflow a recursive walk). Engine code: include it where
// nlohmann/json.hpp is.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace relata::detail {

/// Whether `document` nests arrays and objects deeper than `levels` (`{}` is one level, a scalar
/// none). Stops at the first too deep value.
inline bool nests_deeper_than(const nlohmann::json& document, std::size_t levels) {
  std::vector<std::pair<const nlohmann::json*, std::size_t>> pending{{&document, 0}};
  while (!pending.empty()) {
    const auto [j, depth] = pending.back();
    pending.pop_back();
    if (!j->is_structured()) continue;
    if (depth == levels) return true;
    for (const auto& child : *j) pending.emplace_back(&child, depth + 1);
  }
  return false;
}

}  // namespace relata::detail
