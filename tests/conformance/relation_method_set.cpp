// One method set on every relation (issue 23): every constrained repository has the methods
// that make sense for its kind, named and behaving as repository<M>'s do (build, create,
// create_all, find, find_one, find_by_id, exists, count, update_by_id, replace_by_id,
// patch / update_all, delete_by_id, delete_all), confined to the source's targets, in the
// relation's scope, on every connector. Every refusal is checked to leave the data as it was.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace method_set_test {

struct Item;
struct Badge;
struct Tool;
struct Loan;
struct Tag;
struct Book;
struct Disc;
struct Shelving;
struct Note;
struct Memo;
struct Svg;
struct Png;

/// A hasMany scope holding a property to one value: build and create stamp it.
struct on_sale_items {
  relata::filter<Item> operator()() const;
};
/// A hasManyThrough scope holding a property to one value.
struct working_tools {
  relata::filter<Tool> operator()() const;
};

struct Owner {
  RELATA_MODEL(Owner,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Item>, items),
               (relata::has_many<Item, relata::scope<on_sale_items>>, sale),
               (relata::has_one<Badge>, badge),
               (relata::has_many<Tool, relata::through<Loan>>, tools),
               (relata::has_many<Tool, relata::through<Loan>, relata::scope<working_tools>>,
                working),
               (relata::has_and_belongs_to_many<Tag>, tags),
               (relata::has_many<relata::one_of<Book, Disc>,
                                 relata::through<Shelving>,
                                 relata::through_key_to<"media_id">,
                                 relata::discriminator<"media_type">>,
                media),
               (relata::has_many<Note, relata::as<"notable">>, notes),
               (relata::has_one<Memo, relata::as<"memoable">>, memo));
};
/// A second source model of the "as" relations: its targets share the tables with Owner's.
struct Shop {
  RELATA_MODEL(Shop,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::optional<std::string>, logo_type),
               (relata::has_many<Note, relata::as<"notable">>, notes),
               (relata::has_one<Memo, relata::as<"memoable">>, memo),
               (relata::has_one<relata::one_of<Svg, Png>>, logo));
};
struct Svg {
  RELATA_MODEL(Svg, (relata::id<std::int64_t>, id), (std::string, path), (std::int64_t, shop_id));
};
struct Png {
  RELATA_MODEL(Png, (relata::id<std::int64_t>, id), (std::string, path), (std::int64_t, shop_id));
};
struct Item {
  RELATA_MODEL(Item,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (double, price),
               (bool, on_sale),
               (std::int64_t, owner_id));
};
struct Badge {
  RELATA_MODEL(Badge,
               (relata::id<std::int64_t>, id),
               (std::string, label),
               (std::int64_t, owner_id));
};
struct Tool {
  RELATA_MODEL(Tool, (relata::id<std::int64_t>, id), (std::string, name), (bool, working));
};
struct Loan {
  RELATA_MODEL(Loan,
               (relata::id<std::int64_t>, id),
               (std::int64_t, owner_id),
               (std::int64_t, tool_id),
               (std::string, note));
};
struct Tag {
  RELATA_MODEL(Tag, (relata::id<std::int64_t>, id), (std::string, label));
};
struct Book {
  RELATA_MODEL(Book, (relata::id<std::int64_t>, id), (std::string, title));
};
struct Disc {
  RELATA_MODEL(Disc, (relata::id<std::int64_t>, id), (std::string, title));
};
struct Shelving {
  RELATA_MODEL(Shelving,
               (relata::id<std::int64_t>, id),
               (std::int64_t, owner_id),
               (std::int64_t, media_id),
               (std::string, media_type));
};
struct Note {
  RELATA_MODEL(Note,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (std::int64_t, notable_id),
               (std::string, notable_type));
};
struct Memo {
  RELATA_MODEL(Memo,
               (relata::id<std::int64_t>, id),
               (std::string, text),
               (std::int64_t, memoable_id),
               (std::string, memoable_type));
};

relata::filter<Item> on_sale_items::operator()() const {
  return {.where = col(&Item::on_sale) == true};
}
relata::filter<Tool> working_tools::operator()() const {
  return {.where = col(&Tool::working) == true};
}

using strings = std::vector<std::string>;

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Owner> owners{*db};
  relata::repository<Shop> shops{*db};
  relata::repository<Item> items{*db};
  relata::repository<Badge> badges{*db};
  relata::repository<Tool> tools{*db};
  relata::repository<Loan> loans{*db};
  relata::repository<Tag> tags{*db};
  relata::repository<Book> books{*db};
  relata::repository<Disc> discs{*db};
  relata::repository<Shelving> shelvings{*db};
  relata::repository<Note> notes{*db};
  relata::repository<Memo> memos{*db};
  Owner ada, bob;
  world() {
    relata::migrate<Owner,
                    Shop,
                    Item,
                    Badge,
                    Tool,
                    Loan,
                    Tag,
                    Book,
                    Disc,
                    Shelving,
                    Note,
                    Memo,
                    Svg,
                    Png>(*db);
    ada = owners.create({.name = "Ada"});
    bob = owners.create({.name = "Bob"});
  }

  /// Every row of every table, to compare before and after a refusal.
  strings snapshot() const {
    strings out;
    for (const auto& i : items.find()) {
      out.push_back("item " + std::to_string(i.id) + " " + i.name + " " + std::to_string(i.price) +
                    " " + std::to_string(i.on_sale) + " " + std::to_string(i.owner_id));
    }
    for (const auto& b : badges.find()) {
      out.push_back("badge " + std::to_string(b.id) + " " + b.label + " " +
                    std::to_string(b.owner_id));
    }
    for (const auto& t : tools.find()) {
      out.push_back("tool " + std::to_string(t.id) + " " + t.name + " " +
                    std::to_string(t.working));
    }
    for (const auto& l : loans.find()) {
      out.push_back("loan " + std::to_string(l.id) + " " + std::to_string(l.owner_id) + "->" +
                    std::to_string(l.tool_id) + " " + l.note);
    }
    for (const auto& t : tags.find()) out.push_back("tag " + std::to_string(t.id) + " " + t.label);
    for (const auto& t : owners.tags(ada.id).find()) out.push_back("ada tag " + t.label);
    for (const auto& t : owners.tags(bob.id).find()) out.push_back("bob tag " + t.label);
    for (const auto& b : books.find())
      out.push_back("book " + std::to_string(b.id) + " " + b.title);
    for (const auto& d : discs.find())
      out.push_back("disc " + std::to_string(d.id) + " " + d.title);
    for (const auto& s : shelvings.find()) {
      out.push_back("shelving " + std::to_string(s.owner_id) + "->" + s.media_type + " " +
                    std::to_string(s.media_id));
    }
    for (const auto& n : notes.find()) {
      out.push_back("note " + std::to_string(n.id) + " " + n.text + " " + n.notable_type + " " +
                    std::to_string(n.notable_id));
    }
    for (const auto& m : memos.find()) {
      out.push_back("memo " + std::to_string(m.id) + " " + m.text + " " + m.memoable_type + " " +
                    std::to_string(m.memoable_id));
    }
    return out;
  }
};

template <class T>
strings names_of(const relata::entities<T>& list) {
  strings out;
  for (const auto& e : list) {
    if constexpr (requires { e.name; }) {
      out.push_back(e.name);
    } else if constexpr (requires { e.label; }) {
      out.push_back(e.label);
    } else {
      out.push_back(e.title);
    }
  }
  return out;
}

/// Runs `call`, requiring it to throw E whose message contains every one of `words`.
template <class E, class F>
void require_refused(F&& call, const strings& words) {
  try {
    call();
    FAIL("expected a refusal");
  } catch (const E& e) {
    for (const auto& word : words) CHECK_THAT(e.what(), Catch::Contains(word));
  }
}

}  // namespace method_set_test

using namespace method_set_test;

// --- hasMany -------------------------------------------------------------------------------

TEST_CASE("method set: hasMany find_one and exists see only this source's targets",
          "[method-set][has_many]") {
  world w;
  auto ada_items = w.owners.items(w.ada.id);
  const auto pen = ada_items.create({.name = "pen", .price = 2});
  ada_items.create({.name = "ink", .price = 8});
  const auto cup = w.owners.items(w.bob.id).create({.name = "cup", .price = 3});

  const auto first = ada_items.find_one({.order = {relata::desc(&Item::price)}});
  REQUIRE(first);
  CHECK(first->name == "ink");
  CHECK(ada_items.find_one({.where = col(&Item::price) < 5.0})->name == "pen");
  CHECK_FALSE(ada_items.find_one({.where = col(&Item::name) == "cup"}));  // bob's
  CHECK_FALSE(w.owners.items(404).find_one());

  CHECK(ada_items.exists(pen.id));
  CHECK_FALSE(ada_items.exists(cup.id));  // bob's target
  CHECK_FALSE(ada_items.exists(999));     // none
  CHECK(w.owners.items(w.bob.id).exists(cup.id));
}

TEST_CASE("method set: hasMany update_by_id changes one of this source's targets only",
          "[method-set][has_many]") {
  world w;
  auto ada_items = w.owners.items(w.ada.id);
  const auto pen = ada_items.create({.name = "pen", .price = 2});
  const auto ink = ada_items.create({.name = "ink", .price = 8});
  const auto cup = w.owners.items(w.bob.id).create({.name = "cup", .price = 3});

  ada_items.update_by_id(pen.id, {{&Item::price, 2.5}, {&Item::name, std::string("blue pen")}});
  const auto stored = w.items.find_by_id(pen.id);
  CHECK(stored.price == 2.5);
  CHECK(stored.name == "blue pen");
  CHECK(stored.owner_id == w.ada.id);
  CHECK(w.items.find_by_id(ink.id).price == 8);  // the other target is untouched
  // the foreign key may be "set" to its own value
  ada_items.update_by_id(pen.id, {{&Item::owner_id, static_cast<std::int64_t>(w.ada.id)}});
  CHECK(w.items.find_by_id(pen.id).owner_id == w.ada.id);

  const auto before = w.snapshot();
  SECTION("another source's target is ENTITY_NOT_FOUND") {
    require_refused<relata::entity_not_found>(
        [&] {
          ada_items.update_by_id(cup.id, {{&Item::price, 99.0}});
        },
        {"ENTITY_NOT_FOUND", "Item", std::to_string(cup.id)});
  }
  SECTION("a target that does not exist is ENTITY_NOT_FOUND") {
    CHECK_THROWS_AS(ada_items.update_by_id(999, {{&Item::price, 99.0}}), relata::entity_not_found);
  }
  SECTION("the foreign key cannot be changed, as patch refuses") {
    require_refused<relata::constraint_violation>(
        [&] {
          ada_items.update_by_id(
              pen.id,
              {{&Item::owner_id, static_cast<std::int64_t>(w.bob.id)}, {&Item::price, 99.0}});
        },
        {"owner_id", "items", "Owner"});
    CHECK_THROWS_AS(ada_items.patch({{&Item::owner_id, static_cast<std::int64_t>(w.bob.id)}}),
                    relata::constraint_violation);
  }
  CHECK(w.snapshot() == before);
}

TEST_CASE("method set: hasMany replace_by_id stamps the foreign key and stays in the source",
          "[method-set][has_many]") {
  world w;
  auto ada_items = w.owners.items(w.ada.id);
  const auto pen = ada_items.create({.name = "pen", .price = 2, .on_sale = true});
  const auto cup = w.owners.items(w.bob.id).create({.name = "cup", .price = 3});

  ada_items.replace_by_id(pen.id, {.name = "pencil", .price = 1});  // no owner_id given
  auto stored = w.items.find_by_id(pen.id);
  CHECK(stored.name == "pencil");
  CHECK(stored.price == 1);
  CHECK_FALSE(stored.on_sale);  // every property replaced
  CHECK(stored.owner_id == w.ada.id);
  ada_items.replace_by_id(pen.id, {.id = pen.id, .name = "pen", .price = 2, .owner_id = w.ada.id});
  CHECK(w.items.find_by_id(pen.id).name == "pen");

  const auto before = w.snapshot();
  SECTION("another source's target is ENTITY_NOT_FOUND") {
    require_refused<relata::entity_not_found>(
        [&] { ada_items.replace_by_id(cup.id, {.name = "mine", .price = 0}); },
        {"Item", std::to_string(cup.id)});
  }
  SECTION("an entity naming another source is refused") {
    require_refused<relata::constraint_violation>(
        [&] {
          ada_items.replace_by_id(pen.id, {.name = "stolen", .price = 0, .owner_id = w.bob.id});
        },
        {"Property owner_id cannot be changed", "items"});
  }
  SECTION("an entity with another id is refused") {
    CHECK_THROWS_AS(ada_items.replace_by_id(pen.id, {.id = cup.id, .name = "x", .price = 0}),
                    relata::invalid_data);
  }
  CHECK(w.snapshot() == before);
}

TEST_CASE("method set: hasMany update_all is patch", "[method-set][has_many]") {
  world w;
  auto ada_items = w.owners.items(w.ada.id);
  ada_items.create_all({{.name = "pen", .price = 2}, {.name = "ink", .price = 8}});
  w.owners.items(w.bob.id).create({.name = "cup", .price = 3});
  CHECK(ada_items.update_all({{&Item::on_sale, true}}, col(&Item::price) < 5.0) == 1);
  CHECK(ada_items.count(col(&Item::on_sale) == true) == 1);
  CHECK(ada_items.update_all({{&Item::price, 1.0}}) == 2);
  CHECK(ada_items.count(col(&Item::price) == 1.0) == 2);
  CHECK(w.items.count(col(&Item::price) == 1.0) == 2);  // bob's cup untouched
  CHECK(ada_items.patch({{&Item::price, 4.0}}) == 2);
  CHECK(ada_items.update_all({}) == 2);  // nothing to change: how many it would reach
  const auto before = w.snapshot();
  CHECK_THROWS_AS(ada_items.update_all({{&Item::owner_id, static_cast<std::int64_t>(w.bob.id)}}),
                  relata::constraint_violation);
  CHECK(w.snapshot() == before);
}

TEST_CASE("method set: hasMany by-id methods respect the relation's scope",
          "[method-set][has_many][scope]") {
  world w;
  auto sale = w.owners.sale(w.ada.id);
  const auto built = sale.build({.name = "hat", .price = 5});
  CHECK(built.on_sale);  // the scope's equality stamped
  CHECK(built.owner_id == w.ada.id);
  CHECK(built.id == 0);
  CHECK(w.items.count() == 0);  // not persisted

  const auto hat = sale.create({.name = "hat", .price = 5});
  const auto coat = w.owners.items(w.ada.id).create({.name = "coat", .price = 50});  // not on sale
  CHECK(sale.exists(hat.id));
  CHECK_FALSE(sale.exists(coat.id));
  CHECK(w.owners.items(w.ada.id).exists(coat.id));
  CHECK(sale.find_by_id(hat.id).name == "hat");
  CHECK(sale.find_one()->name == "hat");

  const auto before = w.snapshot();
  CHECK_THROWS_AS(sale.find_by_id(coat.id), relata::entity_not_found);
  CHECK_THROWS_AS(sale.update_by_id(coat.id, {{&Item::price, 1.0}}), relata::entity_not_found);
  CHECK_THROWS_AS(sale.replace_by_id(coat.id, {.name = "coat", .price = 1}),
                  relata::entity_not_found);
  CHECK_THROWS_AS(sale.delete_by_id(coat.id), relata::entity_not_found);
  CHECK(w.snapshot() == before);

  sale.update_by_id(hat.id, {{&Item::price, 4.0}});
  CHECK(w.items.find_by_id(hat.id).price == 4);
  sale.replace_by_id(hat.id, {.name = "cap", .price = 3});
  CHECK(w.items.find_by_id(hat.id).on_sale);  // stamped by the scope, as create does
  CHECK(w.items.find_by_id(hat.id).name == "cap");
  sale.delete_by_id(hat.id);
  CHECK_FALSE(w.items.exists(hat.id));
  CHECK(w.items.exists(coat.id));
}

// --- hasOne --------------------------------------------------------------------------------

TEST_CASE("method set: hasOne build, find_one, exists, count", "[method-set][has_one]") {
  world w;
  auto ada_badge = w.owners.badge(w.ada.id);
  const auto built = ada_badge.build({.label = "gold"});
  CHECK(built.owner_id == w.ada.id);
  CHECK(built.id == 0);
  CHECK(w.badges.count() == 0);  // not persisted
  CHECK_THROWS_AS(ada_badge.build({.label = "x", .owner_id = w.bob.id}),
                  relata::constraint_violation);

  CHECK_FALSE(ada_badge.find_one());
  CHECK_FALSE(ada_badge.exists());
  CHECK(ada_badge.count() == 0);

  const auto gold = ada_badge.create(built);
  const auto silver = w.owners.badge(w.bob.id).create({.label = "silver"});
  REQUIRE(ada_badge.find_one());
  CHECK(ada_badge.find_one()->label == "gold");
  CHECK_FALSE(ada_badge.find_one({.where = col(&Badge::label) == "silver"}));  // bob's
  CHECK(ada_badge.find_one()->id == gold.id);
  CHECK_FALSE(ada_badge.find_one({.where = col(&Badge::label) == "bronze"}));
  CHECK(ada_badge.exists());
  CHECK(ada_badge.exists(gold.id));
  CHECK_FALSE(ada_badge.exists(silver.id));
  CHECK_FALSE(w.owners.badge(404).exists());
  CHECK(ada_badge.count() == 1);
  CHECK(ada_badge.count(col(&Badge::label) == "gold") == 1);
  CHECK(ada_badge.count(col(&Badge::label) == "silver") == 0);
  CHECK(ada_badge.get().id == gold.id);
}

TEST_CASE("method set: hasOne find_by_id, update_by_id, replace_by_id, delete_by_id",
          "[method-set][has_one]") {
  world w;
  auto ada_badge = w.owners.badge(w.ada.id);
  const auto gold = ada_badge.create({.label = "gold"});
  const auto silver = w.owners.badge(w.bob.id).create({.label = "silver"});

  CHECK(ada_badge.find_by_id(gold.id).label == "gold");
  CHECK_THROWS_AS(ada_badge.find_by_id(silver.id), relata::entity_not_found);
  CHECK_THROWS_AS(ada_badge.find_by_id(gold.id, {.where = col(&Badge::label) == "x"}),
                  relata::entity_not_found);

  ada_badge.update_by_id(gold.id, {{&Badge::label, std::string("platinum")}});
  CHECK(w.badges.find_by_id(gold.id).label == "platinum");
  ada_badge.replace_by_id(gold.id, {.label = "gold"});
  CHECK(w.badges.find_by_id(gold.id).label == "gold");
  CHECK(w.badges.find_by_id(gold.id).owner_id == w.ada.id);

  auto before = w.snapshot();
  SECTION("another source's target") {
    require_refused<relata::entity_not_found>(
        [&] {
          ada_badge.update_by_id(silver.id, {{&Badge::label, std::string("x")}});
        },
        {"Badge", std::to_string(silver.id)});
    CHECK_THROWS_AS(ada_badge.replace_by_id(silver.id, {.label = "x"}), relata::entity_not_found);
    CHECK_THROWS_AS(ada_badge.delete_by_id(silver.id), relata::entity_not_found);
  }
  SECTION("the foreign key cannot move the target to another source") {
    require_refused<relata::constraint_violation>(
        [&] {
          ada_badge.update_by_id(gold.id,
                                 {{&Badge::owner_id, static_cast<std::int64_t>(w.bob.id)}});
        },
        {"owner_id", "badge"});
    CHECK_THROWS_AS(ada_badge.replace_by_id(gold.id, {.label = "x", .owner_id = w.bob.id}),
                    relata::constraint_violation);
  }
  CHECK(w.snapshot() == before);

  ada_badge.delete_by_id(gold.id);
  CHECK_FALSE(ada_badge.exists());
  CHECK(w.badges.exists(silver.id));
  CHECK_THROWS_AS(ada_badge.delete_by_id(gold.id), relata::entity_not_found);
}

TEST_CASE("method set: hasOne update_all is patch", "[method-set][has_one]") {
  world w;
  auto ada_badge = w.owners.badge(w.ada.id);
  const auto gold = ada_badge.create({.label = "gold"});
  w.owners.badge(w.bob.id).create({.label = "silver"});
  CHECK(ada_badge.update_all({{&Badge::label, std::string("x")}}, col(&Badge::label) == "y") == 0);
  CHECK(ada_badge.update_all({{&Badge::label, std::string("bronze")}}) == 1);
  CHECK(w.badges.find_by_id(gold.id).label == "bronze");
  CHECK(w.badges.count(col(&Badge::label) == "silver") == 1);
  CHECK(ada_badge.patch({{&Badge::label, std::string("gold")}}) == 1);
  CHECK(ada_badge.get().label == "gold");
  const auto before = w.snapshot();
  CHECK_THROWS_AS(ada_badge.update_all({{&Badge::owner_id, static_cast<std::int64_t>(w.bob.id)}}),
                  relata::constraint_violation);
  CHECK(w.snapshot() == before);
}

// --- hasManyThrough ------------------------------------------------------------------------

TEST_CASE("method set: hasManyThrough build and create_all", "[method-set][through]") {
  world w;
  auto working = w.owners.working(w.ada.id);
  const auto built = working.build({.name = "saw"});
  CHECK(built.working);  // the relation's scope stamped
  CHECK(built.id == 0);
  CHECK(w.tools.count() == 0);
  CHECK(w.loans.count() == 0);
  CHECK_FALSE(w.owners.tools(w.ada.id).build({.name = "saw"}).working);  // no scope, nothing

  // the relation's scope is stamped on each target, as create stamps it
  const auto fixed = working.create_all({{.name = "file"}, {.name = "rasp", .working = false}});
  CHECK(w.tools.find_by_id(fixed[1].id).working);
  CHECK(working.count() == 2);
  CHECK(working.delete_all() == 2);

  auto ada_tools = w.owners.tools(w.ada.id);
  const auto made = ada_tools.create_all({{.name = "saw"}, {.name = "drill"}}, {.note = "lent"});
  REQUIRE(made.size() == 2);
  CHECK(made[0].id != 0);
  CHECK(made[1].id != 0);
  CHECK(names_of(ada_tools.find({.order = {relata::asc(&Tool::name)}})) == strings{"drill", "saw"});
  CHECK(w.loans.count(col(&Loan::owner_id) == w.ada.id && col(&Loan::note) == "lent") == 2);
  CHECK(w.owners.tools(w.bob.id).count() == 0);
  CHECK(ada_tools.create_all({}).empty());

  const auto before = w.snapshot();
  SECTION("a link naming another source: nothing is written") {
    CHECK_THROWS_AS(
        ada_tools.create_all({{.name = "hammer"}, {.name = "plane"}}, {.owner_id = w.bob.id}),
        relata::constraint_violation);
  }
  SECTION("the second target is refused by the database: the first is not kept") {
    CHECK_THROWS_AS(ada_tools.create_all({{.name = "hammer"}, {.id = made[0].id, .name = "dup"}}),
                    relata::constraint_violation);
  }
  SECTION("the link names another target: the targets already inserted are not kept") {
    CHECK_THROWS_AS(ada_tools.create_all({{.name = "hammer"}, {.name = "plane"}}, {.tool_id = 999}),
                    relata::constraint_violation);
  }
  CHECK(w.snapshot() == before);
}

TEST_CASE("method set: hasManyThrough find_one and find_by_id see only linked targets",
          "[method-set][through]") {
  world w;
  auto ada_tools = w.owners.tools(w.ada.id);
  const auto saw = ada_tools.create({.name = "saw"});
  const auto drill = ada_tools.create({.name = "drill", .working = true});
  const auto lathe = w.owners.tools(w.bob.id).create({.name = "lathe"});
  const auto spare = w.tools.create({.name = "spare"});  // linked to no one

  CHECK(ada_tools.find_one({.order = {relata::asc(&Tool::name)}})->name == "drill");
  CHECK_FALSE(ada_tools.find_one({.where = col(&Tool::name) == "lathe"}));
  CHECK(ada_tools.find_by_id(saw.id).name == "saw");
  CHECK(w.owners.tools(w.bob.id).find_by_id(lathe.id).name == "lathe");
  require_refused<relata::entity_not_found>([&] { ada_tools.find_by_id(lathe.id); },
                                            {"Tool", std::to_string(lathe.id)});
  CHECK_THROWS_AS(ada_tools.find_by_id(spare.id), relata::entity_not_found);
  CHECK_THROWS_AS(ada_tools.find_by_id(saw.id, {.where = col(&Tool::name) == "drill"}),
                  relata::entity_not_found);
  // in the relation's scope only
  CHECK(w.owners.working(w.ada.id).find_by_id(drill.id).name == "drill");
  CHECK_THROWS_AS(w.owners.working(w.ada.id).find_by_id(saw.id), relata::entity_not_found);
  CHECK(w.owners.working(w.ada.id).find_one()->id == drill.id);
}

TEST_CASE("method set: hasManyThrough update_by_id and update_all", "[method-set][through]") {
  world w;
  auto ada_tools = w.owners.tools(w.ada.id);
  const auto saw = ada_tools.create({.name = "saw"});
  const auto lathe = w.owners.tools(w.bob.id).create({.name = "lathe"});
  ada_tools.update_by_id(saw.id, {{&Tool::name, std::string("jigsaw")}});
  CHECK(w.tools.find_by_id(saw.id).name == "jigsaw");
  ada_tools.update_by_id(saw.id, {});  // no change: the target is there
  CHECK(ada_tools.update_all({{&Tool::working, true}}) == 1);
  CHECK(w.tools.find_by_id(saw.id).working);
  CHECK_FALSE(w.tools.find_by_id(lathe.id).working);
  CHECK(ada_tools.patch({{&Tool::working, false}}, col(&Tool::name) == "jigsaw") == 1);

  const auto before = w.snapshot();
  require_refused<relata::entity_not_found>(
      [&] {
        ada_tools.update_by_id(lathe.id, {{&Tool::name, std::string("x")}});
      },
      {"Tool", std::to_string(lathe.id)});
  CHECK_THROWS_AS(ada_tools.update_by_id(lathe.id, {}), relata::entity_not_found);
  CHECK_THROWS_AS(ada_tools.update_by_id(saw.id, {{&Tool::id, lathe.id + 100}}),
                  relata::constraint_violation);
  // a target outside the relation's scope is not this relation's
  CHECK_THROWS_AS(w.owners.working(w.ada.id).update_by_id(saw.id, {{&Tool::working, true}}),
                  relata::entity_not_found);
  CHECK(w.snapshot() == before);
}

TEST_CASE("method set: hasManyThrough delete_by_id deletes the target and this source's links",
          "[method-set][through]") {
  world w;
  auto ada_tools = w.owners.tools(w.ada.id);
  const auto saw = ada_tools.create({.name = "saw"});
  const auto shared = ada_tools.create({.name = "ladder"});
  w.owners.tools(w.bob.id).link(shared.id);
  const auto lathe = w.owners.tools(w.bob.id).create({.name = "lathe"});

  const auto before = w.snapshot();
  SECTION("another source's target is ENTITY_NOT_FOUND") {
    require_refused<relata::entity_not_found>([&] { ada_tools.delete_by_id(lathe.id); },
                                              {"Tool", std::to_string(lathe.id)});
    CHECK(w.snapshot() == before);
  }
  SECTION("a target another source links is refused, as delete_all refuses it") {
    require_refused<relata::constraint_violation>([&] { ada_tools.delete_by_id(shared.id); },
                                                  {"Loan", "unlink them first"});
    CHECK(w.snapshot() == before);
    CHECK_THROWS_AS(ada_tools.delete_all(col(&Tool::id) == shared.id),
                    relata::constraint_violation);
    CHECK(w.snapshot() == before);
  }
  SECTION("this source's target goes with its link") {
    ada_tools.delete_by_id(saw.id);
    CHECK_FALSE(w.tools.exists(saw.id));
    CHECK(w.loans.count(col(&Loan::tool_id) == saw.id) == 0);
    CHECK(ada_tools.count() == 1);
    CHECK(w.tools.count() == 2);
    CHECK_THROWS_AS(ada_tools.delete_by_id(saw.id), relata::entity_not_found);
  }
}

// --- hasAndBelongsToMany (a hasManyThrough's repository) -----------------------------------

TEST_CASE("method set: hasAndBelongsToMany has the hasManyThrough methods", "[method-set][habtm]") {
  world w;
  auto ada_tags = w.owners.tags(w.ada.id);
  CHECK(ada_tags.build({.label = "x"}).id == 0);
  const auto made = ada_tags.create_all({{.label = "news"}, {.label = "tech"}});
  REQUIRE(made.size() == 2);
  const auto other = w.owners.tags(w.bob.id).create({.label = "other"});
  CHECK(ada_tags.count() == 2);
  CHECK(ada_tags.find_by_id(made[0].id).label == "news");
  CHECK(ada_tags.find_one({.where = col(&Tag::label) == "tech"})->id == made[1].id);
  CHECK(ada_tags.exists(made[1].id));
  CHECK_FALSE(ada_tags.exists(other.id));

  ada_tags.update_by_id(made[0].id, {{&Tag::label, std::string("headlines")}});
  CHECK(w.tags.find_by_id(made[0].id).label == "headlines");
  CHECK(ada_tags.update_all({{&Tag::label, std::string("t")}}, col(&Tag::label) == "tech") == 1);

  w.owners.tags(w.bob.id).link(made[1].id);
  const auto before = w.snapshot();
  CHECK_THROWS_AS(ada_tags.find_by_id(other.id), relata::entity_not_found);
  CHECK_THROWS_AS(ada_tags.update_by_id(other.id, {{&Tag::label, std::string("x")}}),
                  relata::entity_not_found);
  CHECK_THROWS_AS(ada_tags.delete_by_id(other.id), relata::entity_not_found);
  CHECK_THROWS_AS(ada_tags.delete_by_id(made[1].id), relata::constraint_violation);  // bob's too
  CHECK(w.snapshot() == before);

  ada_tags.delete_by_id(made[0].id);
  CHECK_FALSE(w.tags.exists(made[0].id));
  CHECK(ada_tags.count() == 1);
  CHECK(w.owners.tags(w.bob.id).count() == 2);
}

// --- polymorphic hasManyThrough ------------------------------------------------------------

TEST_CASE("method set: polymorphic hasManyThrough methods take the model",
          "[method-set][polymorphic-through]") {
  world w;
  auto ada_media = w.owners.media(w.ada.id);
  CHECK(ada_media.build<Book>({.title = "x"}).id == 0);
  CHECK(w.books.count() == 0);
  const auto made = ada_media.create_all<Book>({{.title = "Emma"}, {.title = "Ulysses"}});
  REQUIRE(made.size() == 2);
  const auto disc = ada_media.create<Disc>({.title = "Kind of Blue"});
  const auto bobs = w.owners.media(w.bob.id).create<Book>({.title = "Dune"});
  CHECK(ada_media.count<Book>() == 2);
  CHECK(ada_media.count() == 3);
  CHECK(w.shelvings.count(col(&Shelving::media_type) == "Book") == 3);

  CHECK(ada_media.find_by_id<Book>(made[1].id).title == "Ulysses");
  CHECK(ada_media.find_by_id<Disc>(disc.id).title == "Kind of Blue");
  CHECK(ada_media.find_one<Book>({.order = {relata::desc(&Book::title)}})->title == "Ulysses");
  CHECK_FALSE(ada_media.find_one<Book>({.where = col(&Book::title) == "Dune"}));

  ada_media.update_by_id<Book>(made[0].id, {{&Book::title, std::string("Persuasion")}});
  CHECK(w.books.find_by_id(made[0].id).title == "Persuasion");
  CHECK(ada_media.update_all<Disc>({{&Disc::title, std::string("Blue")}}) == 1);
  CHECK(w.discs.find_by_id(disc.id).title == "Blue");

  const auto before = w.snapshot();
  // a key of the other model, or of another source's target, is not this source's
  CHECK_THROWS_AS(ada_media.find_by_id<Book>(bobs.id), relata::entity_not_found);
  if (disc.id != made[0].id && disc.id != made[1].id) {
    CHECK_THROWS_AS(ada_media.find_by_id<Book>(disc.id), relata::entity_not_found);
  }
  CHECK_THROWS_AS(ada_media.update_by_id<Book>(bobs.id, {{&Book::title, std::string("x")}}),
                  relata::entity_not_found);
  CHECK_THROWS_AS(ada_media.delete_by_id<Book>(bobs.id), relata::entity_not_found);
  CHECK_THROWS_AS(ada_media.create_all<Book>({{.title = "a"}, {.id = made[0].id, .title = "b"}}),
                  relata::constraint_violation);
  CHECK(w.snapshot() == before);

  ada_media.delete_by_id<Book>(made[0].id);
  CHECK_FALSE(w.books.exists(made[0].id));
  CHECK(ada_media.count<Book>() == 1);
  CHECK(w.shelvings.count(col(&Shelving::media_id) == made[0].id &&
                          col(&Shelving::media_type) == "Book") == 0);
}

// --- hasMany "as" and hasOne "as" (their repositories are hasMany's and hasOne's) --------------

TEST_CASE("method set: the \"as\" kinds confine the by-id methods to the source's model",
          "[method-set][as]") {
  world w;
  const auto shop = w.shops.create({.name = "corner"});
  REQUIRE(shop.id == w.ada.id);  // the same key, another model
  const auto ada_note = w.owners.notes(w.ada.id).create({.text = "ada's"});
  const auto shop_note = w.shops.notes(shop.id).create({.text = "shop's"});
  const auto ada_memo = w.owners.memo(w.ada.id).create({.text = "ada's"});
  const auto shop_memo = w.shops.memo(shop.id).create({.text = "shop's"});

  auto notes = w.owners.notes(w.ada.id);
  CHECK(notes.build().notable_type == "Owner");
  CHECK(notes.exists(ada_note.id));
  CHECK_FALSE(notes.exists(shop_note.id));
  CHECK(notes.find_by_id(ada_note.id).text == "ada's");
  auto memo = w.owners.memo(w.ada.id);
  CHECK(memo.build().memoable_type == "Owner");
  CHECK(memo.exists());
  CHECK(memo.exists(ada_memo.id));
  CHECK_FALSE(memo.exists(shop_memo.id));
  CHECK(memo.find_by_id(ada_memo.id).text == "ada's");

  const auto before = w.snapshot();
  CHECK_THROWS_AS(notes.find_by_id(shop_note.id), relata::entity_not_found);
  CHECK_THROWS_AS(notes.update_by_id(shop_note.id, {{&Note::text, std::string("x")}}),
                  relata::entity_not_found);
  CHECK_THROWS_AS(notes.replace_by_id(shop_note.id, {.text = "x"}), relata::entity_not_found);
  CHECK_THROWS_AS(notes.delete_by_id(shop_note.id), relata::entity_not_found);
  CHECK_THROWS_AS(notes.update_by_id(ada_note.id, {{&Note::notable_type, std::string("Shop")}}),
                  relata::constraint_violation);
  CHECK_THROWS_AS(memo.update_by_id(shop_memo.id, {{&Memo::text, std::string("x")}}),
                  relata::entity_not_found);
  CHECK_THROWS_AS(memo.replace_by_id(ada_memo.id, {.text = "x", .memoable_type = "Shop"}),
                  relata::constraint_violation);
  CHECK_THROWS_AS(memo.delete_by_id(shop_memo.id), relata::entity_not_found);
  CHECK(w.snapshot() == before);

  notes.replace_by_id(ada_note.id, {.text = "replaced"});
  CHECK(w.notes.find_by_id(ada_note.id).notable_type == "Owner");
  CHECK(w.notes.find_by_id(ada_note.id).text == "replaced");
  memo.update_by_id(ada_memo.id, {{&Memo::text, std::string("updated")}});
  CHECK(w.memos.find_by_id(ada_memo.id).text == "updated");
  CHECK(w.memos.find_by_id(shop_memo.id).text == "shop's");
}

// --- one name, one behaviour ---------------------------------------------------------------

TEST_CASE("method set: each name behaves the same on every kind", "[method-set]") {
  world w;
  // A target of each kind for ada, and one of bob's.
  const auto item = w.owners.items(w.ada.id).create({.name = "pen", .price = 2});
  const auto bob_item = w.owners.items(w.bob.id).create({.name = "cup", .price = 3});
  const auto badge = w.owners.badge(w.ada.id).create({.label = "gold"});
  const auto bob_badge = w.owners.badge(w.bob.id).create({.label = "silver"});
  const auto tool = w.owners.tools(w.ada.id).create({.name = "saw"});
  const auto bob_tool = w.owners.tools(w.bob.id).create({.name = "lathe"});

  SECTION("update_all is patch: the same count, the same rows changed") {
    CHECK(w.owners.items(w.ada.id).update_all({{&Item::name, std::string("a")}}) ==
          w.owners.items(w.bob.id).patch({{&Item::name, std::string("a")}}));
    CHECK(w.items.count(col(&Item::name) == "a") == 2);
    CHECK(w.owners.badge(w.ada.id).update_all({{&Badge::label, std::string("a")}}) ==
          w.owners.badge(w.bob.id).patch({{&Badge::label, std::string("a")}}));
    CHECK(w.badges.count(col(&Badge::label) == "a") == 2);
    CHECK(w.owners.tools(w.ada.id).update_all({{&Tool::name, std::string("a")}}) ==
          w.owners.tools(w.bob.id).patch({{&Tool::name, std::string("a")}}));
    CHECK(w.tools.count(col(&Tool::name) == "a") == 2);
    // polymorphic hasOne and hasManyThrough: the same, per model
    const auto corner = w.shops.create({.name = "corner"});
    const auto other = w.shops.create({.name = "other"});
    w.shops.logo(corner.id).create<Svg>({.path = "c.svg"});
    w.shops.logo(other.id).create<Svg>({.path = "o.svg"});
    CHECK(w.shops.logo(corner.id).update_all<Svg>({{&Svg::path, std::string("a")}}) ==
          w.shops.logo(other.id).patch<Svg>({{&Svg::path, std::string("a")}}));
    CHECK(w.shops.logo(corner.id).update_all<Png>({{&Png::path, std::string("a")}}) == 0);
    CHECK(relata::repository<Svg>{*w.db}.count(col(&Svg::path) == "a") == 2);
    w.owners.media(w.ada.id).create<Book>({.title = "Emma"});
    w.owners.media(w.bob.id).create<Book>({.title = "Dune"});
    CHECK(w.owners.media(w.ada.id).update_all<Book>({{&Book::title, std::string("a")}}) ==
          w.owners.media(w.bob.id).patch<Book>({{&Book::title, std::string("a")}}));
    CHECK(w.books.count(col(&Book::title) == "a") == 2);
  }
  SECTION("find_by_id of another source's target is ENTITY_NOT_FOUND naming the model") {
    require_refused<relata::entity_not_found>(
        [&] { w.owners.items(w.ada.id).find_by_id(bob_item.id); }, {"ENTITY_NOT_FOUND", "Item"});
    require_refused<relata::entity_not_found>(
        [&] { w.owners.badge(w.ada.id).find_by_id(bob_badge.id); }, {"ENTITY_NOT_FOUND", "Badge"});
    require_refused<relata::entity_not_found>(
        [&] { w.owners.tools(w.ada.id).find_by_id(bob_tool.id); }, {"ENTITY_NOT_FOUND", "Tool"});
  }
  SECTION("exists(id) is true for the source's own target only") {
    CHECK(w.owners.items(w.ada.id).exists(item.id));
    CHECK_FALSE(w.owners.items(w.ada.id).exists(bob_item.id));
    CHECK(w.owners.badge(w.ada.id).exists(badge.id));
    CHECK_FALSE(w.owners.badge(w.ada.id).exists(bob_badge.id));
    CHECK(w.owners.tools(w.ada.id).exists(tool.id));
    CHECK_FALSE(w.owners.tools(w.ada.id).exists(bob_tool.id));
  }
  SECTION("update_by_id of another source's target is ENTITY_NOT_FOUND and writes nothing") {
    const auto before = w.snapshot();
    CHECK_THROWS_AS(w.owners.items(w.ada.id).update_by_id(bob_item.id, {}),
                    relata::entity_not_found);
    CHECK_THROWS_AS(w.owners.badge(w.ada.id).update_by_id(bob_badge.id, {}),
                    relata::entity_not_found);
    CHECK_THROWS_AS(w.owners.tools(w.ada.id).update_by_id(bob_tool.id, {}),
                    relata::entity_not_found);
    CHECK(w.snapshot() == before);
  }
  SECTION("delete_by_id deletes the one target; again is ENTITY_NOT_FOUND") {
    w.owners.items(w.ada.id).delete_by_id(item.id);
    w.owners.badge(w.ada.id).delete_by_id(badge.id);
    w.owners.tools(w.ada.id).delete_by_id(tool.id);
    CHECK(w.items.count() == 1);
    CHECK(w.badges.count() == 1);
    CHECK(w.tools.count() == 1);
    CHECK_THROWS_AS(w.owners.items(w.ada.id).delete_by_id(item.id), relata::entity_not_found);
    CHECK_THROWS_AS(w.owners.badge(w.ada.id).delete_by_id(badge.id), relata::entity_not_found);
    CHECK_THROWS_AS(w.owners.tools(w.ada.id).delete_by_id(tool.id), relata::entity_not_found);
  }
}
