// Fuzz target: changes JSON, as text or a parsed document, for Customer or Kinds (every
// property kind), applied with update_all (every row, or one) inside a transaction rolled back,
// on memory and SQLite (see harness.hpp).
#include "harness.hpp"

namespace {

template <class M>
void run(const relata_fuzz::input& in) {
  const auto c = relata_fuzz::from_json<relata::changes<M>>(in);
  if (!c) return;
  const bool one = in.variant(1);
  relata_fuzz::world::get().writes_agree("update_all", [&](relata_fuzz::backend& b) {
    relata::repository<M> repository{*b.db};
    const auto changed =
        one ? repository.update_all(*c, relata::col(&M::id) == 1) : repository.update_all(*c);
    return nlohmann::json{changed, repository.find()};
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto in = relata_fuzz::read_input(data, size);
  if (in.variant(0)) {
    run<relata_fuzz::Kinds>(in);
  } else {
    run<fixtures::Customer>(in);
  }
  return 0;
}
