// expect-gcc: check_model_scope<Station, .*"cheap".*, cheap_tickets, false>
// expect: relata: relata::named_scope<Name, F> and relata::default_scope<F> take a
// expect: filter of the model they are declared on
//
// A named scope whose function returns a filter of another model.
#include <cstdint>

#include <relata/relata.hpp>

struct Ticket {
  RELATA_MODEL(Ticket, (relata::id<std::int64_t>, id), (double, price));
};
struct cheap_tickets {
  relata::filter<Ticket> operator()() const { return {.where = relata::col(&Ticket::price) < 5.0}; }
};
struct Station {
  RELATA_MODEL(Station, (relata::id<std::int64_t>, id), (bool, active));
  using relata_options = relata::options<relata::named_scope<"cheap", cheap_tickets>>;
};

int main() { return static_cast<int>(relata::definition_of<Station>().named_scopes.size()); }
