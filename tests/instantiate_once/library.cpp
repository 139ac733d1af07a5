// The one translation unit that compiles the library's models' machinery.
#include "library.hpp"

RELATA_INSTANTIATE_MODEL(library::Author);
RELATA_INSTANTIATE_MODEL(library::Book);
RELATA_INSTANTIATE_MODEL(library::Tag);
RELATA_INSTANTIATE_MODEL(library::BookTag);

const relata::model_definition* library::author_definition_in_library() {
  return &relata::definition_of<Author>();
}
