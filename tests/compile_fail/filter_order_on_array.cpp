// expect-gcc: check_ordered_type<std::vector<std::.*string.*>, false>
// expect: relata: arrays and JSON documents can only be tested for null
//
// An ordering comparison on an array property.
#include <cstdint>
#include <string>
#include <vector>

#include <relata/filter.hpp>

struct Post {
  RELATA_MODEL(Post, (relata::id<std::int64_t>, id), (std::vector<std::string>, tags));
};

int main() {
  auto w = relata::col(&Post::tags) < std::vector<std::string>{"a"};
  return w.empty() ? 1 : 0;
}
