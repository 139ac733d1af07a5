// Fuzz target: where JSON, as text or a parsed document, for Customer or Order, run with count,
// find, and through a constrained repository, on memory and SQLite (see harness.hpp).
#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto in = relata_fuzz::read_input(data, size);
  auto& world = relata_fuzz::world::get();
  if (in.variant(0)) {
    const auto w = relata_fuzz::from_json<relata::where<fixtures::Order>>(in);
    if (!w) return 0;
    world.reads_agree("count", [&](relata_fuzz::backend& b) {
      return nlohmann::json(relata::repository<fixtures::Order>{*b.db}.count(*w));
    });
    world.reads_agree("constrained find", [&](relata_fuzz::backend& b) {
      return nlohmann::json(b.customers.orders(1).find({.where = *w}));
    });
  } else {
    const auto w = relata_fuzz::from_json<relata::where<fixtures::Customer>>(in);
    if (!w) return 0;
    world.reads_agree(
        "count", [&](relata_fuzz::backend& b) { return nlohmann::json(b.customers.count(*w)); });
    world.reads_agree("find", [&](relata_fuzz::backend& b) {
      return nlohmann::json(b.customers.find({.where = *w, .include = {"orders", "parent"}}));
    });
  }
  return 0;
}
