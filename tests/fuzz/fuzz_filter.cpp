// Fuzz target: filter JSON, as text or a parsed document, for Customer or Order, run with find
// and count on memory and SQLite (tests/fuzz/harness.hpp says what is checked).
#include "harness.hpp"

namespace {

template <class M>
void run(const relata_fuzz::input& in) {
  const auto f = relata_fuzz::from_json<relata::filter<M>>(in);
  if (!f || relata_fuzz::out_of_scope(f->lower())) return;
  auto& w = relata_fuzz::world::get();
  w.reads_agree("find", [&](relata_fuzz::backend& b) {
    return nlohmann::json(relata::repository<M>{*b.db}.find(*f));
  });
  w.reads_agree("count", [&](relata_fuzz::backend& b) {
    return nlohmann::json(relata::repository<M>{*b.db}.count(f->where));
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto in = relata_fuzz::read_input(data, size);
  if (in.variant(0)) {
    run<fixtures::Order>(in);
  } else {
    run<fixtures::Customer>(in);
  }
  return 0;
}
