// hasMany and hasOne "as" (LoopBack 3's polymorphic hasMany/hasOne, `polymorphic:
// "imageable"`), on every connector: Authors and Readers each have pictures, held in one table
// whose rows name their owner's model. The discriminator is stamped on every write through the
// relation and required by every read, include and condition, so an Author and a Reader with
// the same id never see each other's pictures.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace as_test {

struct Picture;
struct Author {
  RELATA_MODEL(Author,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Picture, relata::as<"imageable">>, pictures),
               (relata::has_one<Picture, relata::as<"imageable">>, portrait));
};
struct Reader {
  RELATA_MODEL(Reader,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Picture, relata::as<"imageable">>, pictures));
};
struct Picture {
  RELATA_MODEL(Picture,
               (relata::id<std::int64_t>, id),
               (std::string, url),
               (std::int64_t, imageable_id),
               (std::string, imageable_type));
};

// The discriminator and key named by options, camelCase.
struct Photo;
struct Album {
  RELATA_MODEL(Album,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Photo,
                                 relata::as<"owner">,
                                 relata::key_to<"ownerRef">,
                                 relata::discriminator<"ownerKind">>,
                photos));
};
struct Photo {
  RELATA_MODEL(Photo,
               (relata::id<std::int64_t>, id),
               (std::int64_t, ownerRef),
               (std::string, ownerKind));
};

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Author> authors{*db};
  relata::repository<Reader> readers{*db};
  relata::repository<Picture> pictures{*db};
  Author ada;
  Reader rex;
  world() {
    relata::migrate<Author, Reader, Picture>(*db);
    ada = authors.create({.name = "Ada"});
    rex = readers.create({.name = "Rex"});  // the same id as Ada's
  }
};

std::vector<std::string> urls(const relata::entities<Picture>& list) {
  std::vector<std::string> out;
  for (const auto& p : list) out.push_back(p.url);
  return out;
}

using strings = std::vector<std::string>;

}  // namespace as_test

using namespace as_test;

TEST_CASE("as: keys and discriminator are inferred from the name, or named", "[as]") {
  const auto& r = relata::definition_of<Author>().relations.at(0);
  const auto& picture = relata::definition_of<Picture>();
  CHECK(picture.properties[r.key_to].name == "imageable_id");
  CHECK(picture.properties[r.discriminator].name == "imageable_type");
  CHECK(r.kind->name() == "hasMany");
  const auto& album = relata::definition_of<Album>().relations.at(0);
  const auto& photo = relata::definition_of<Photo>();
  CHECK(photo.properties[album.key_to].name == "ownerRef");
  CHECK(photo.properties[album.discriminator].name == "ownerKind");
}

TEST_CASE("as: create stamps the source's model; each source sees only its own", "[as]") {
  world w;
  REQUIRE(w.ada.id == w.rex.id);
  const auto mine = w.authors.pictures(w.ada.id).create({.url = "ada.png"});
  CHECK(mine.imageable_id == w.ada.id);
  CHECK(mine.imageable_type == "Author");
  w.readers.pictures(w.rex.id).create({.url = "rex.png"});
  CHECK(w.pictures.count() == 2);
  CHECK(urls(w.authors.pictures(w.ada.id).find()) == strings{"ada.png"});
  CHECK(urls(w.readers.pictures(w.rex.id).find()) == strings{"rex.png"});
  CHECK(w.authors.pictures(w.ada.id).count() == 1);
  // find_by_id of another model's picture with the same key: not found
  const auto theirs = w.readers.pictures(w.rex.id).find().at(0);
  CHECK_THROWS_AS(w.authors.pictures(w.ada.id).find_by_id(theirs.id), relata::entity_not_found);
}

TEST_CASE("as: a different discriminator in the data, or a patch moving one, is refused", "[as]") {
  world w;
  CHECK_THROWS_AS(w.authors.pictures(w.ada.id).create({.url = "x", .imageable_type = "Reader"}),
                  relata::constraint_violation);
  w.authors.pictures(w.ada.id).create({.url = "ada.png"});
  CHECK_THROWS_AS(w.authors.pictures(w.ada.id).patch({{&Picture::imageable_type, "Reader"}}),
                  relata::constraint_violation);
  CHECK(w.pictures.count(col(&Picture::imageable_type) == "Reader") == 0);
  // patch and delete touch only the source's own
  w.readers.pictures(w.rex.id).create({.url = "rex.png"});
  CHECK(w.authors.pictures(w.ada.id).patch({{&Picture::url, "new.png"}}) == 1);
  CHECK(w.authors.pictures(w.ada.id).delete_all() == 1);
  CHECK(urls(w.pictures.find()) == strings{"rex.png"});
}

TEST_CASE("as: includes and relation conditions require the discriminator", "[as]") {
  world w;
  w.authors.pictures(w.ada.id).create({.url = "ada1.png"});
  w.authors.pictures(w.ada.id).create({.url = "ada2.png"});
  w.readers.pictures(w.rex.id).create({.url = "rex.png"});
  relata_test::query_log log{*w.db};
  const auto authors = w.authors.find({.include = {"pictures"}});
  CHECK(log.selects() == 2);
  REQUIRE(authors.size() == 1);
  CHECK(urls(authors[0].pictures.value()) == strings{"ada1.png", "ada2.png"});
  const auto readers = w.readers.find({.include = {"pictures"}});
  CHECK(urls(readers[0].pictures.value()) == strings{"rex.png"});

  CHECK(w.authors.count(relata::some(&Author::pictures, col(&Picture::url) == "rex.png")) == 0);
  CHECK(w.readers.count(relata::some(&Reader::pictures, col(&Picture::url) == "rex.png")) == 1);
  // every: only the source's own pictures count
  CHECK(w.readers.count(relata::every(&Reader::pictures, col(&Picture::url) == "rex.png")) == 1);
  CHECK(w.authors.count(relata::none(&Author::pictures)) == 0);
}

TEST_CASE("as: a hasOne keeps one target per source and model", "[as]") {
  world w;
  w.readers.pictures(w.rex.id).create({.url = "rex.png"});  // same key, another model
  const auto face = w.authors.portrait(w.ada.id).create({.url = "face.png"});
  CHECK(face.imageable_type == "Author");
  CHECK(w.authors.portrait(w.ada.id).get().url == "face.png");
  CHECK_THROWS_AS(w.authors.portrait(w.ada.id).create({.url = "again.png"}),
                  relata::constraint_violation);
  const auto with = w.authors.find({.include = {"portrait"}});
  REQUIRE(with.at(0).portrait.has_value());
  CHECK(with[0].portrait->url == "face.png");
}
