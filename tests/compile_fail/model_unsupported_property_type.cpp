// expect-gcc: check_property_type_is_storable<Customer, [^,]*"settings"}, false>
// expect: relata: this property's type cannot be stored; use a supported type
//
// A property of a type relata has no storage mapping for.
#include <cstdint>
#include <map>
#include <string>

#include <relata/relations.hpp>

struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::map<std::string, std::string>, settings));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().properties.size()); }
