// Fuzz target: model JSON, as parsed text or a parsed document whose strings may hold any
// bytes: j.get<M>() and j.get<relata::entities<M>>() for Customer (with its relations) or Kinds
// (every property kind). What converts must convert back to the same JSON, and is then created
// and read back, inside a transaction rolled back, on memory and SQLite (see harness.hpp).
#include "harness.hpp"

namespace {

/// Generated keys differ between connectors after a rollback: entities without a key get one.
template <class M>
void give_key(M& entity, std::int64_t key) {
  if (entity.id == 0) entity.id = key;
}

template <class M>
void run(const relata_fuzz::input& in, const nlohmann::json& document) {
  auto& world = relata_fuzz::world::get();
  if (in.variant(1)) {
    std::optional<relata::entities<M>> all;
    relata_fuzz::parses([&] { all = document.get<relata::entities<M>>(); });
    if (!all) return;
    const nlohmann::json once = *all;
    if (nlohmann::json(once.get<relata::entities<M>>()) != once) {
      relata_fuzz::fail("entities do not convert back to the same JSON");
    }
    std::vector<M> many(all->begin(), all->end());
    for (std::size_t i = 0; i < many.size(); ++i)
      give_key(many[i], 1000 + static_cast<std::int64_t>(i));
    world.writes_agree("create_all", [&](relata_fuzz::backend& b) {
      relata::repository<M> repository{*b.db};
      return nlohmann::json{repository.create_all(many), repository.find()};
    });
  } else {
    std::optional<M> one;
    relata_fuzz::parses([&] { one = document.get<M>(); });
    if (!one) return;
    const nlohmann::json once = *one;
    if (nlohmann::json(once.get<M>()) != once) {
      relata_fuzz::fail("a model does not convert back to the same JSON");
    }
    give_key(*one, 1000);
    world.writes_agree("create", [&](relata_fuzz::backend& b) {
      relata::repository<M> repository{*b.db};
      const auto created = repository.create(*one);
      return nlohmann::json{created, repository.find_by_id(created.id)};
    });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto in = relata_fuzz::read_input(data, size);
  std::optional<nlohmann::json> document;
  if (in.as_document()) {
    document = relata_fuzz::read_document(in);
  } else {
    auto parsed = nlohmann::json::parse(in.text, nullptr, false);
    if (!parsed.is_discarded()) document = std::move(parsed);
  }
  if (!document) return 0;
  if (in.variant(0)) {
    run<relata_fuzz::Kinds>(in, *document);
  } else {
    run<fixtures::Customer>(in, *document);
  }
  return 0;
}
