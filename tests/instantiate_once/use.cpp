// Models declared RELATA_EXTERN_MODEL work as any others in a unit that does not compile their
// machinery: CRUD, constrained repositories, includes through a link model. check_symbols.cmake
// checks that this unit's object file indeed leaves their definitions to library.cpp.
#include <catch2/catch.hpp>

#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

#include "library.hpp"

using library::Author;
using library::Book;
using library::BookTag;
using library::Tag;

TEST_CASE("instantiate once: one definition per model, shared by every unit", "[extern]") {
  CHECK(&relata::definition_of<Author>() == library::author_definition_in_library());
  const auto& book = relata::definition_of<Book>();
  CHECK(book.name == "Book");
  REQUIRE(book.relations.size() == 2);
  CHECK(&book.relations[0].target() == &relata::definition_of<Author>());
}

TEST_CASE("instantiate once: repositories, constrained writes and includes", "[extern]") {
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<Author, Book, Tag, BookTag>(db);
  relata::repository<Author> authors{db};
  relata::repository<Book> books{db};

  const auto ada = authors.create({.name = "Ada"});
  const auto notes = authors.books(ada.id).create({.title = "Notes"});
  CHECK(notes.author_id == ada.id);
  const auto adas_books = authors.books(ada.id).find();
  REQUIRE(adas_books.size() == 1);
  CHECK(adas_books[0].title == "Notes");
  books.tags(notes.id).create({.label = "math"});

  const auto found =
      authors.find({.include = {relata::include(&Author::books, {.include = {"tags", "author"}})}});
  REQUIRE(found.size() == 1);
  REQUIRE(found[0].books.size() == 1);
  const Book& b = found[0].books[0];
  CHECK(b.title == "Notes");
  REQUIRE(b.tags.size() == 1);
  CHECK(b.tags[0].label == "math");
  REQUIRE(b.author.has_value());
  CHECK(b.author->name == "Ada");

  // A copy of an included entity (transfer through the shared definition) is deep.
  Author copy = found[0];
  CHECK(copy.books[0].tags[0].label == "math");
}
