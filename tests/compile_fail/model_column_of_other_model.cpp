// expect-gcc: resolved_options<Customer, relata::options<relata::column<&Order::total,
// expect: relata: relata::column<&Model::member, .*Name.*> must name a member of the model
//
// relata::column naming a member of another model.
#include <cstdint>

#include <relata/relations.hpp>

struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (double, total));
};
struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (double, total));
  using relata_options = relata::options<relata::column<&Order::total, "Total">>;
};

int main() { return static_cast<int>(relata::definition_of<Customer>().properties.size()); }
