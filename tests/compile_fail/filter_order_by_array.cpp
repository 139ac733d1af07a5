// expect-gcc: check_ordered_type<std::vector<std::.*string.*>, false>
// expect: relata: arrays and JSON documents can only be tested for null
//
// Ordering results by an array property (the JSON filter refuses "order" on it too).
#include <cstdint>
#include <string>
#include <vector>

#include <relata/filter.hpp>

struct Post {
  RELATA_MODEL(Post, (relata::id<std::int64_t>, id), (std::vector<std::string>, tags));
};

int main() {
  relata::filter<Post> f{.order = {relata::asc(&Post::tags)}};
  return f.limit ? 1 : 0;
}
