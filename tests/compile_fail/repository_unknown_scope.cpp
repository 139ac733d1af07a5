// expect-gcc: check_named_scope_exists<Station, .*"inactive".*, false>
// expect: relata: repository::scope<"name">\(\) names a scope the model declares with
//
// scope<"name">() naming a scope the model does not declare.
#include <cstdint>

#include <relata/memory.hpp>
#include <relata/relata.hpp>

struct active_stations;
struct Station {
  RELATA_MODEL(Station, (relata::id<std::int64_t>, id), (bool, active));
  using relata_options = relata::options<relata::named_scope<"active", active_stations>>;
};
struct active_stations {
  relata::filter<Station> operator()() const {
    return {.where = relata::col(&Station::active) == true};
  }
};

int main() {
  relata::memory::datasource db;
  relata::repository<Station> stations{db};
  return static_cast<int>(stations.scope<"inactive">().count());
}
