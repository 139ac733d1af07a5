// expect-gcc: resolved_options<Customer, relata::options<relata::table<.*relata::key_to<
// expect: relata: relata_options accepts relata::table, relata::column, relata::column_naming
//
// A relation option given as a model option.
#include <cstdint>

#include <relata/relations.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::int64_t, code));
  using relata_options = relata::options<relata::table<"customers">, relata::key_to<"code">>;
};

int main() { return static_cast<int>(relata::definition_of<Customer>().properties.size()); }
