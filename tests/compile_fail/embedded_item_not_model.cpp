// expect-gcc: check_embedded_item_is_model<std::__cxx11::basic_string<char>, false>
// expect: relata: embeds_one<T> and embeds_many<T> need T declared with RELATA_MODEL
//
// An embedded document holds items of a model, with its properties and JSON codec.
#include <cstdint>
#include <string>

#include <relata/relata.hpp>
#include <relata/relation/embeds_many.hpp>
#include <relata/relation/embeds_one.hpp>

struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (relata::embeds_one<std::string>, nickname));
};

int main() { return static_cast<int>(relata::definition_of<Customer>().properties.size()); }
