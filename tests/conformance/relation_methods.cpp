// relata::methods (LoopBack 3's scopeMethods): a user's own methods on a relation's accessor,
// built on its constrained repository, so that they stay inside the source's targets, on every
// connector.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace methods_test {

struct Book;
struct Card;

/// Methods on a shelf's books: each goes through the relation's own calls.
template <class Books>
struct book_methods : Books {
  relata::entities<Book> long_reads() const;
  std::uint64_t mark_read() const;
};

/// Methods on a shelf's one card.
template <class OneCard>
struct card_methods : OneCard {
  bool is_labelled(const std::string& label) const;
};

struct Shelf {
  RELATA_MODEL(Shelf,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Book, relata::methods<book_methods>>, books),
               (relata::has_one<Card, relata::methods<card_methods>>, card));
};
struct Book {
  RELATA_MODEL(Book,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (std::int64_t, pages),
               (bool, read),
               (std::int64_t, shelf_id));
};
struct Card {
  RELATA_MODEL(Card,
               (relata::id<std::int64_t>, id),
               (std::string, label),
               (std::int64_t, shelf_id));
};

template <class Books>
relata::entities<Book> book_methods<Books>::long_reads() const {
  return this->find({.where = col(&Book::pages) >= 500, .order = {relata::asc(&Book::title)}});
}
template <class Books>
std::uint64_t book_methods<Books>::mark_read() const {
  return this->patch({{&Book::read, true}}, col(&Book::read) == false);
}
template <class OneCard>
bool card_methods<OneCard>::is_labelled(const std::string& label) const {
  return this->get().label == label;
}

}  // namespace methods_test

using namespace methods_test;

TEST_CASE("relation methods: the user's methods work through the relation, for its source only",
          "[relation-options]") {
  auto db = relata_test::make_datasource();
  relata::migrate<Shelf, Book, Card>(*db);
  relata::repository<Shelf> shelves{*db};
  relata::repository<Book> books{*db};
  const auto home = shelves.create({.name = "home"});
  const auto work = shelves.create({.name = "work"});
  shelves.books(home.id).create({.title = "War and Peace", .pages = 1225});
  shelves.books(home.id).create({.title = "Dubliners", .pages = 152});
  shelves.books(home.id).create({.title = "Middlemarch", .pages = 880});
  shelves.books(work.id).create({.title = "SICP", .pages = 657});

  const auto long_home = shelves.books(home.id).long_reads();
  REQUIRE(long_home.size() == 2);
  CHECK(long_home[0].title == "Middlemarch");
  CHECK(long_home[1].title == "War and Peace");
  CHECK(shelves.books(work.id).long_reads().size() == 1);

  CHECK(shelves.books(home.id).mark_read() == 3);
  CHECK(books.count(col(&Book::read) == true) == 3);  // the work shelf's book is untouched
  CHECK(shelves.books(work.id).mark_read() == 1);

  // the relation's own calls are still there
  CHECK(shelves.books(home.id).count() == 3);

  shelves.card(home.id).create({.label = "fiction"});
  CHECK(shelves.card(home.id).is_labelled("fiction"));
  CHECK_FALSE(shelves.card(home.id).is_labelled("poetry"));
  CHECK_THROWS_AS(shelves.card(work.id).is_labelled("fiction"), relata::entity_not_found);
}
