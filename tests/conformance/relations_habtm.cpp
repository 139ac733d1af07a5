// hasAndBelongsToMany (LoopBack 3's relation without a declared link model), on every
// connector. relata makes the link, migrates it with both sides, and does better than LoopBack 3
// where it falls short: key options are honoured (LoopBack drops them), a where on the targets
// filters the targets (LoopBack's lands on the link and finds nothing), link() refuses a target
// that does not exist, and what deleting a source or a target does to its links is defined.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace habtm_test {

struct Tag;
struct Post {
  RELATA_MODEL(Post,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (relata::has_and_belongs_to_many<Tag>, tags));
};
struct Tag {
  RELATA_MODEL(Tag,
               (relata::id<std::int64_t>, id),
               (std::string, label),
               (relata::has_and_belongs_to_many<Post>, posts));
};

// Links removed with either side; keys spelled in camelCase, one of them named.
struct Badge;
struct Member {
  RELATA_MODEL(Member,
               (relata::id<std::int64_t>, id),
               (std::string, login),
               (relata::has_and_belongs_to_many<Badge,
                                                relata::through_key_from<"holderId">,
                                                relata::on_delete<relata::delete_rule::cascade>>,
                badges));
  using relata_options = relata::options<relata::key_naming<relata::naming::camel_case>>;
};
struct Badge {
  RELATA_MODEL(Badge,
               (relata::id<std::int64_t>, id),
               (std::string, code),
               (relata::has_and_belongs_to_many<Member,
                                                relata::through_key_to<"holderId">,
                                                relata::on_delete<relata::delete_rule::cascade>>,
                members));
  using relata_options = relata::options<relata::key_naming<relata::naming::camel_case>>;
};

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Post> posts{*db};
  relata::repository<Tag> tags{*db};
  Post hello, bye;
  Tag news, tech;
  world() {
    relata::migrate<Post, Tag>(*db);  // and the link PostTag
    hello = posts.create({.title = "hello"});
    bye = posts.create({.title = "bye"});
    news = tags.create({.label = "news"});
    tech = tags.create({.label = "tech"});
  }
};

std::vector<std::string> labels(const relata::entities<Tag>& list) {
  std::vector<std::string> out;
  for (const auto& t : list) out.push_back(t.label);
  return out;
}
std::vector<std::string> titles(const relata::entities<Post>& list) {
  std::vector<std::string> out;
  for (const auto& p : list) out.push_back(p.title);
  return out;
}

using strings = std::vector<std::string>;

}  // namespace habtm_test

using namespace habtm_test;

TEST_CASE("habtm: the link model is made and migrated with both sides, shared by both", "[habtm]") {
  const auto& link = relata::definition_of<Post>().relations.at(0).through();
  CHECK(link.name == "PostTag");
  REQUIRE(link.properties.size() == 2);
  CHECK(link.properties[0].name == "post_id");
  CHECK(link.properties[1].name == "tag_id");
  CHECK(link.primary_key.size() == 2);
  // Tag::posts uses the same link model, its keys the other way round
  const auto& back = relata::definition_of<Tag>().relations.at(0);
  CHECK(&back.through() == &link);
  CHECK(back.through_key_from == 1);
  CHECK(back.through_key_to == 0);
  CHECK(relata::definition_of<Post>().relations.at(0).kind->name() == "hasAndBelongsToMany");

  world w;
  w.posts.tags(w.hello.id).link(w.news.id);
  CHECK(titles(w.tags.posts(w.news.id).find()) == strings{"hello"});
}

TEST_CASE("habtm: create, link, find, count, unlink, from either side", "[habtm]") {
  world w;
  auto hello_tags = w.posts.tags(w.hello.id);
  const auto draft = hello_tags.create({.label = "draft"});  // target and link
  hello_tags.link(w.news.id);
  w.posts.tags(w.bye.id).link(w.news.id);
  CHECK(labels(hello_tags.find({.order = {relata::asc(&Tag::label)}})) == strings{"draft", "news"});
  CHECK(hello_tags.count() == 2);
  CHECK(hello_tags.count(col(&Tag::label) == "news") == 1);
  CHECK(titles(w.tags.posts(w.news.id).find({.order = {relata::asc(&Post::title)}})) ==
        strings{"bye", "hello"});
  CHECK(w.tags.posts(draft.id).count() == 1);

  CHECK(hello_tags.unlink(w.news.id) == 1);
  CHECK(labels(hello_tags.find()) == strings{"draft"});
  CHECK(w.tags.count() == 3);  // unlink keeps the target
  CHECK(hello_tags.unlink_all() == 1);
  CHECK(hello_tags.count() == 0);
  CHECK(w.posts.tags(w.bye.id).count() == 1);  // another source's links are untouched
}

TEST_CASE("habtm: a where filters the targets, not the links (LoopBack 3 finds nothing)",
          "[habtm]") {
  world w;
  w.posts.tags(w.hello.id).link(w.news.id);
  w.posts.tags(w.hello.id).link(w.tech.id);
  CHECK(labels(w.posts.tags(w.hello.id).find({.where = col(&Tag::label) == "tech"})) ==
        strings{"tech"});
  CHECK(w.posts.tags(w.hello.id).patch({{&Tag::label, "Tech"}}, col(&Tag::label) == "tech") == 1);
  CHECK(w.tags.find_by_id(w.tech.id).label == "Tech");
}

TEST_CASE("habtm: link refuses a target that does not exist, and changes nothing", "[habtm]") {
  world w;
  CHECK_THROWS_AS(w.posts.tags(w.hello.id).link(999), relata::entity_not_found);
  CHECK(w.posts.tags(w.hello.id).count() == 0);
}

TEST_CASE("habtm: include and relation conditions, from both sides", "[habtm]") {
  world w;
  w.posts.tags(w.hello.id).link(w.news.id);
  w.posts.tags(w.hello.id).link(w.tech.id);
  w.posts.tags(w.bye.id).link(w.tech.id);
  relata_test::query_log log{*w.db};
  const auto all = w.posts.find(
      {.include = {relata::include(&Post::tags, {.order = {relata::asc(&Tag::label)}})}});
  CHECK(log.selects() == 2);  // posts, then targets joined with their links
  REQUIRE(all.size() == 2);
  CHECK(labels(all[0].tags.value()) == strings{"news", "tech"});
  CHECK(labels(all[1].tags.value()) == strings{"tech"});
  const auto tagged = w.tags.find({.order = {relata::asc(&Tag::label)}, .include = {"posts"}});
  REQUIRE(tagged.size() == 2);
  CHECK(tagged[1].posts.size() == 2);

  CHECK(titles(w.posts.find({.where = relata::some(&Post::tags, col(&Tag::label) == "news")})) ==
        strings{"hello"});
  CHECK(titles(w.posts.find({.where = relata::none(&Post::tags, col(&Tag::label) == "news")})) ==
        strings{"bye"});
  CHECK(titles(w.posts.find({.where = relata::every(&Post::tags, col(&Tag::label) == "tech")})) ==
        strings{"bye"});
  const auto by_json = relata::where<Tag>::from_json(R"({"posts": {"some": {"title": "bye"}}})");
  CHECK(labels(w.tags.find({.where = by_json})) == strings{"tech"});
}

TEST_CASE("habtm: deleting a linked source or target is refused by default; nothing changes",
          "[habtm][delete]") {
  world w;
  w.posts.tags(w.hello.id).link(w.news.id);
  CHECK_THROWS_AS(w.posts.delete_by_id(w.hello.id), relata::constraint_violation);
  CHECK_THROWS_AS(w.tags.delete_by_id(w.news.id), relata::constraint_violation);
  CHECK(w.posts.exists(w.hello.id));
  CHECK(w.tags.exists(w.news.id));
  CHECK(w.posts.tags(w.hello.id).count() == 1);
  // delete_all through the relation removes the targets and this source's links
  CHECK(w.posts.tags(w.hello.id).delete_all() == 1);
  CHECK_FALSE(w.tags.exists(w.news.id));
  w.posts.delete_by_id(w.hello.id);  // no link left: allowed
  CHECK_FALSE(w.posts.exists(w.hello.id));
}

TEST_CASE("habtm: keys honour the options; on_delete cascade removes the links, not the targets",
          "[habtm][delete]") {
  const auto& link = relata::definition_of<Member>().relations.at(0).through();
  CHECK(link.name == "BadgeMember");  // the model names in order
  REQUIRE(link.properties.size() == 2);
  CHECK(link.properties[0].name == "badgeId");   // camelCase, inferred
  CHECK(link.properties[1].name == "holderId");  // named by the option (LoopBack 3 drops it)
  CHECK(&relata::definition_of<Badge>().relations.at(0).through() == &link);

  auto db = relata_test::make_datasource();
  relata::migrate<Member, Badge>(*db);
  relata::repository<Member> members{*db};
  relata::repository<Badge> badges{*db};
  const auto ann = members.create({.login = "ann"});
  const auto gold = badges.create({.code = "gold"});
  const auto blue = badges.create({.code = "blue"});
  members.badges(ann.id).link(gold.id);
  members.badges(ann.id).link(blue.id);
  CHECK(members.badges(ann.id).count() == 2);
  CHECK(badges.members(gold.id).count() == 1);

  badges.delete_by_id(gold.id);  // its link goes with it
  CHECK(members.badges(ann.id).count() == 1);
  members.delete_by_id(ann.id);  // and the member's
  CHECK(badges.members(blue.id).count() == 0);
  CHECK(badges.exists(blue.id));  // the target stays
}
