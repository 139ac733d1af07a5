// expect-gcc: check_related_member<Customer, &Customer::name, false>
// expect: relata: related<&Model::member> names a relation member of the repository's model
//
// related<> given a stored property.
#include <cstdint>
#include <string>

#include <relata/repository.hpp>

struct Customer {
  RELATA_MODEL(Customer, (relata::id<std::int64_t>, id), (std::string, name));
};

void use(relata::datasource& db) {
  relata::repository<Customer> customers{db};
  customers.related<&Customer::name>(std::int64_t{1});
}

int main() { return 0; }
