// expect-gcc: parsed_relation_options<relata::key_to<.*>, relata::table<
// expect: relata: unknown relation option; relations accept relata::key_from, relata::key_to
//
// A model option (relata::table) given to a relation.
#include <cstdint>

#include <relata/relations.hpp>

struct Order;
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Order, relata::key_to<"customer_id">, relata::table<"orders">>,
                orders));
};
struct Order {
  RELATA_MODEL(Order, (relata::id<std::int64_t>, id), (std::int64_t, customer_id));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().relations.size()); }
