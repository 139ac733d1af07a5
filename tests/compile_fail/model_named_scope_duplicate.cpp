// expect-gcc: check_named_scopes_unique<Station, false>
// expect: relata: two relata::named_scope options of this model have the same name
//
// Two named scopes called "active".
#include <cstdint>

#include <relata/relata.hpp>

struct active_stations;
struct open_stations;
struct Station {
  RELATA_MODEL(Station, (relata::id<std::int64_t>, id), (bool, active));
  using relata_options = relata::options<relata::named_scope<"active", active_stations>,
                                         relata::named_scope<"active", open_stations>>;
};
struct active_stations {
  relata::filter<Station> operator()() const {
    return {.where = relata::col(&Station::active) == true};
  }
};
struct open_stations : active_stations {};

int main() { return static_cast<int>(relata::definition_of<Station>().named_scopes.size()); }
