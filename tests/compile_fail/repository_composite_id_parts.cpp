// expect: relata: the id given does not have the type of the model's id
//
// find_by_id on a composite (integer, integer) id given a string for one of its parts.
#include <cstdint>
#include <string>

#include <relata/repository.hpp>

struct PlaylistTrack {
  RELATA_MODEL(PlaylistTrack,
               (relata::id<std::int64_t, relata::id_generation::supplied>, playlist_id),
               (relata::id<std::int64_t, relata::id_generation::supplied>, track_id));
};

bool linked(relata::datasource& db) {
  relata::repository<PlaylistTrack> links{db};
  return links.exists({std::int64_t{1}, std::string("3402")});
}

int main() { return 0; }
