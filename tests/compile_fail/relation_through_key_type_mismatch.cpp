// expect-gcc: check_key_types_match<Book, [^,]*"shelves"}, [^,]*"code"}, BookShelf,
// expect-gcc: "shelf_id"}, false>
// expect: relata: the relation's keys have different types; a foreign key must have the type
//
// The link's key to the target is an integer, the target's id text. (The source and target
// ids may differ in type: they never meet.)
#include <cstdint>
#include <string>

#include <relata/relations.hpp>

struct Shelf;
struct BookShelf;
struct Book {
  RELATA_MODEL(Book,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Shelf, relata::through<BookShelf>>, shelves));
};
struct Shelf {
  RELATA_MODEL(Shelf, (relata::id<std::string>, code));
};
struct BookShelf {
  RELATA_MODEL(BookShelf,
               (relata::id<std::int64_t>, id),
               (std::int64_t, book_id),
               (std::int64_t, shelf_id));
};

int main() { return static_cast<int>(relata::definition_of<Book>().relations.size()); }
