// A program using relata the way a user does, built by the consumer projects (find_package and
// add_subdirectory): models with relations, an in-memory SQLite database, rows created and read
// back with an include, and the same through the REST core (relata::rest). Exits non-zero when
// the result is wrong.
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include <relata/json.hpp>
#include <relata/relata.hpp>
#include <relata/rest.hpp>
#include <relata/sqlite.hpp>

struct Book;

struct Author {
  RELATA_MODEL(Author,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Book>, books));
};

struct Book {
  RELATA_MODEL(Book,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (std::int64_t, author_id),
               (relata::belongs_to<Author>, author));
};

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "consumer: wrong result: " << what << '\n';
    ++failures;
  }
}

}  // namespace

int main() {
  try {
    relata::sqlite::datasource db{":memory:"};
    relata::migrate<Author, Book>(db);
    relata::repository<Author> authors{db};
    relata::repository<Book> books{db};

    const auto ada = authors.create({.name = "Ada"});
    const auto bob = authors.create({.name = "Bob"});
    authors.books(ada.id).create({.title = "Notes"});
    authors.books(ada.id).create({.title = "Sketches"});

    const auto all = authors.find({.include = {"books"}});
    expect(all.size() == 2, "two authors");
    if (all.size() == 2) {
      expect(all[0].name == "Ada" && all[1].name == "Bob", "authors in id order");
      expect(all[0].books.loaded() && all[1].books.loaded(), "books included");
      const relata::entities<Book>& hers = all[0].books.value();
      expect(hers.size() == 2 && hers[0].title == "Notes" && hers[1].title == "Sketches",
             "Ada's two books, in order");
      expect(hers.size() == 2 && hers[0].author_id == ada.id, "foreign key set by the relation");
      expect(all[1].books.value().empty(), "Bob has no books");
    }
    const auto owner = books.author(1);
    expect(owner && owner->id == ada.id, "belongsTo finds Ada");
    expect(bob.id == 2, "generated ids");
    std::cout << nlohmann::json(all).dump() << '\n';

    relata::rest::api api;
    api.expose(authors);
    const auto listed =
        api.handle({"GET", "/authors/1/books", "filter[where][title]=Notes", "", ""});
    expect(listed.status == 200, "GET /authors/1/books answers 200");
    expect(listed.body.find("\"Notes\"") != std::string::npos &&
               listed.body.find("Sketches") == std::string::npos,
           "GET /authors/1/books?filter[where][title]=Notes finds Notes only");
    std::cout << listed.body << '\n';
  } catch (const std::exception& e) {
    std::cerr << "consumer: " << e.what() << '\n';
    return 2;
  }
  return failures == 0 ? 0 : 1;
}
