// A model library declared the way a large program declares it: each model's machinery is
// compiled only in library.cpp (RELATA_EXTERN_MODEL here, RELATA_INSTANTIATE_MODEL there).
#pragma once

#include <cstdint>
#include <string>

#include <relata/relata.hpp>

namespace library {

struct Book;
struct Tag;
struct BookTag;

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
               (relata::belongs_to<Author>, author),
               (relata::has_many<Tag, relata::through<BookTag>>, tags));
};

struct Tag {
  RELATA_MODEL(Tag, (relata::id<std::int64_t>, id), (std::string, label));
};

struct BookTag {
  RELATA_MODEL(BookTag,
               (relata::id<std::int64_t>, id),
               (std::int64_t, book_id),
               (std::int64_t, tag_id));
};

/// The definitions as library.cpp sees them, to check that every unit shares one.
const relata::model_definition* author_definition_in_library();

}  // namespace library

RELATA_EXTERN_MODEL(library::Author);
RELATA_EXTERN_MODEL(library::Book);
RELATA_EXTERN_MODEL(library::Tag);
RELATA_EXTERN_MODEL(library::BookTag);
