// relata/detail/json_excerpt.hpp: a JSON value echoed in an error message, bounded: its text
// (dump() would throw on a string that is not UTF-8, and recurse once per level of a deep
// document), shortened. Engine code: include it where nlohmann/json.hpp is.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include <relata/detail/excerpt.hpp>
#include <relata/detail/json_depth.hpp>

namespace relata::detail {

/// The text of `j` for a message: at most `max` bytes (see excerpt), a document nesting deeper
/// than a few levels only named.
inline std::string json_excerpt(const nlohmann::json& j, std::size_t max = excerpt_size) {
  constexpr std::size_t shown_levels = 8;
  if (nests_deeper_than(j, shown_levels)) {
    return std::string("an ") + j.type_name() + " nesting more than " +
           std::to_string(shown_levels) + " levels";
  }
  if (j.is_string()) {  // cut before it is written out: it may be huge
    return nlohmann::json(excerpt(j.get_ref<const std::string&>(), max)).dump();
  }
  return excerpt(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), max);
}

}  // namespace relata::detail
