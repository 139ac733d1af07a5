// A relation's scope (relata::scope<F>, LoopBack 3's relation `scope`), on every connector: a
// filter on the targets that the accessor, every constrained-repository call, includes and
// relation conditions apply, after LoopBack 3's "with scope" tests (relations.test.js).
//
// Where relata differs: LoopBack 3 lets the scope's fields, limit and skip override the
// caller's (and nests a caller's include under the scope's, which then fails); relata's rule is
// one: the where is AND-ed, the caller's order, limit, skip and fields replace the scope's when
// given, and includes are merged (the caller's entry for a relation replacing the scope's).
// LoopBack 3 ignores scope.where on create, so a created row can be invisible through the
// relation; relata stamps the scope's equalities and refuses a row the scope would not see.
// LoopBack 3's include of a hasManyThrough ignores the relation's scope; relata applies it.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <relata/json.hpp>
#include <relata/relata.hpp>

#include "support/backend.hpp"

using relata::col;

namespace relation_scope_test {

struct Order;
struct Course;
struct Enrollment;
struct Profile;
struct open_orders {
  relata::filter<Order> operator()() const;
};
struct large_orders {
  relata::filter<Order> operator()() const;
};
struct biggest_orders {
  relata::filter<Order> operator()() const;
};
struct visible_profile {
  relata::filter<Profile> operator()() const;
};
struct open_courses {
  relata::filter<Course> operator()() const;
};
struct Customer;
struct vip_customers {
  relata::filter<Customer> operator()() const;
};

struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (bool, vip),
               (relata::has_many<Order>, orders),
               (relata::has_many<Order, relata::scope<open_orders>>, open),
               (relata::has_many<Order, relata::scope<large_orders>>, large),
               (relata::has_many<Order, relata::scope<biggest_orders>>, biggest),
               (relata::has_one<Profile, relata::scope<visible_profile>>, public_profile));
};
struct Order {
  RELATA_MODEL(
      Order,
      (relata::id<std::int64_t>, id),
      (std::int64_t, customer_id),
      (std::string, status),
      (double, total),
      (relata::belongs_to<Customer>, customer),
      (relata::belongs_to<Customer, relata::key_from<"customer_id">, relata::scope<vip_customers>>,
       vip_customer));
};
struct Profile {
  RELATA_MODEL(Profile,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (bool, visible),
               (std::string, bio));
};
struct Student {
  RELATA_MODEL(Student,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Course, relata::through<Enrollment>, relata::scope<open_courses>>,
                courses));
};
struct Course {
  RELATA_MODEL(Course, (relata::id<std::int64_t>, id), (std::string, title), (bool, open));
};
struct Enrollment {
  RELATA_MODEL(Enrollment,
               (relata::id<std::int64_t>, id),
               (std::int64_t, student_id),
               (std::int64_t, course_id));
};

relata::filter<Order> open_orders::operator()() const {
  return {.where = col(&Order::status) == "open", .order = {relata::asc(&Order::total)}};
}
relata::filter<Order> large_orders::operator()() const {
  return {.where = col(&Order::total) >= 100.0};
}
relata::filter<Order> biggest_orders::operator()() const {
  return {.order = {relata::desc(&Order::total)}, .limit = 2, .include = {"customer"}};
}
relata::filter<Profile> visible_profile::operator()() const {
  return {.where = col(&Profile::visible) == true};
}
relata::filter<Course> open_courses::operator()() const {
  return {.where = col(&Course::open) == true};
}
relata::filter<Customer> vip_customers::operator()() const {
  return {.where = col(&Customer::vip) == true};
}

struct world {
  std::unique_ptr<relata::datasource> db = relata_test::make_datasource();
  relata::repository<Customer> customers{*db};
  relata::repository<Order> orders{*db};
  relata::repository<Profile> profiles{*db};
  relata::repository<Student> students{*db};
  relata::repository<Course> courses{*db};
  relata::repository<Enrollment> enrollments{*db};
  Customer ada, bob;
  world() {
    relata::migrate<Customer, Order, Profile, Student, Course, Enrollment>(*db);
    ada = customers.create({.name = "Ada", .vip = true});
    bob = customers.create({.name = "Bob", .vip = false});
  }
  void some_orders() {
    orders.create({.customer_id = ada.id, .status = "open", .total = 30});
    orders.create({.customer_id = ada.id, .status = "closed", .total = 500});
    orders.create({.customer_id = ada.id, .status = "open", .total = 10});
    orders.create({.customer_id = ada.id, .status = "open", .total = 200});
    orders.create({.customer_id = bob.id, .status = "closed", .total = 5});
  }
};

std::vector<double> totals(const relata::entities<Order>& list) {
  std::vector<double> out;
  for (const auto& o : list) out.push_back(o.total);
  return out;
}

}  // namespace relation_scope_test

using namespace relation_scope_test;

TEST_CASE("relation scope: the accessor reads only the targets in scope", "[relation-scope]") {
  world w;
  w.some_orders();
  // the scope's where and its order
  CHECK(totals(w.customers.open(w.ada.id).find()) == std::vector<double>{10, 30, 200});
  CHECK(w.customers.open(w.ada.id).count() == 3);
  CHECK(w.customers.open(w.ada.id).count(col(&Order::total) > 20.0) == 2);
  CHECK(w.customers.open(w.bob.id).count() == 0);
  CHECK(w.customers.orders(w.ada.id).count() == 4);  // the unscoped relation sees every one
  const auto closed = w.orders.find_one(
      {.where = col(&Order::status) == "closed" && col(&Order::customer_id) == w.ada.id});
  REQUIRE(closed);
  CHECK_THROWS_AS(w.customers.open(w.ada.id).find_by_id(closed->id), relata::entity_not_found);
  CHECK(w.customers.orders(w.ada.id).find_by_id(closed->id).total == 500);
  // a scope's limit and include
  const auto biggest = w.customers.biggest(w.ada.id).find();
  CHECK(totals(biggest) == std::vector<double>{500, 200});
  CHECK(biggest[0].customer->name == "Ada");
}

TEST_CASE("relation scope: the caller's filter over the scope's, by one rule", "[relation-scope]") {
  world w;
  w.some_orders();
  // where: AND-ed
  CHECK(totals(w.customers.open(w.ada.id).find({.where = col(&Order::total) < 100.0})) ==
        std::vector<double>{10, 30});
  // order: the caller's replaces the scope's (so does LoopBack 3)
  CHECK(totals(w.customers.open(w.ada.id).find({.order = {relata::desc(&Order::total)}})) ==
        std::vector<double>{200, 30, 10});
  // limit and skip: the caller's replace the scope's (LoopBack 3 keeps the scope's)
  CHECK(totals(w.customers.biggest(w.ada.id).find({.limit = 3})) ==
        std::vector<double>{500, 200, 30});
  CHECK(totals(w.customers.biggest(w.ada.id).find({.skip = 1})) == std::vector<double>{200, 30});
  // fields: the caller's (LoopBack 3 keeps the scope's)
  const auto ids_only =
      w.customers.open(w.ada.id).find({.fields = relata::only(&Order::id, &Order::total)});
  REQUIRE(ids_only.size() == 3);
  CHECK(nlohmann::json::parse(relata::dump_json(ids_only[0])).size() == 2);
  // include: merged; the caller's entry for the scope's relation replaces it (LoopBack 3 nests
  // the caller's under the scope's, and fails)
  const auto with_vip = w.customers.biggest(w.ada.id).find({.include = {"vip_customer"}});
  REQUIRE(with_vip.size() == 2);
  CHECK(with_vip[0].customer.loaded());
  CHECK(with_vip[0].vip_customer.loaded());
  const auto replaced = w.customers.biggest(w.ada.id).find(
      {.include = {relata::include(&Order::customer, {.fields = relata::only(&Customer::id)})}});
  REQUIRE(replaced.size() == 2);
  CHECK(nlohmann::json::parse(relata::dump_json(replaced[0]))["customer"].size() == 1);
}

TEST_CASE("relation scope: writes through the relation stay inside it", "[relation-scope]") {
  world w;
  w.some_orders();
  // create stamps the scope's equalities (LoopBack 3 ignores scope.where on create)
  const auto made = w.customers.open(w.bob.id).create({.total = 7});
  CHECK(made.status == "open");
  CHECK(w.orders.find_by_id(made.id).status == "open");
  CHECK(w.customers.open(w.bob.id).build({}).status == "open");
  const auto before = w.orders.count();
  // a contradicting value is refused, and nothing is written
  try {
    w.customers.open(w.bob.id).create({.status = "closed", .total = 7});
    FAIL("a row outside the scope was created");
  } catch (const relata::constraint_violation& e) {
    CHECK_THAT(std::string(e.what()),
               Catch::Contains("status") && Catch::Contains("open") &&
                   Catch::Contains("relation open of model Customer"));
  }
  // a row a non-equality scope would not match is refused after the insert, which is undone
  CHECK_THROWS_AS(w.customers.large(w.bob.id).create({.status = "open", .total = 5}),
                  relata::constraint_violation);
  CHECK_THROWS_AS(w.customers.large(w.bob.id).create_all(
                      {{.status = "open", .total = 150}, {.status = "open", .total = 5}}),
                  relata::constraint_violation);
  CHECK(w.orders.count() == before);
  CHECK(w.customers.large(w.bob.id).create({.status = "open", .total = 150}).total == 150);

  // patch and delete touch the rows in scope only
  CHECK(w.customers.open(w.ada.id).patch({{&Order::total, 1.0}}) == 3);
  CHECK(w.orders.count(col(&Order::total) == 500.0) == 1);  // the closed one
  CHECK(w.customers.open(w.ada.id).delete_all(col(&Order::total) == 1.0) == 3);
  CHECK(w.customers.orders(w.ada.id).count() == 1);
}

TEST_CASE("relation scope: includes apply it, per parent", "[relation-scope]") {
  world w;
  w.some_orders();
  relata_test::query_log log{*w.db};
  const auto all = w.customers.find(
      {.order = {relata::asc(&Customer::name)}, .include = {"open", "biggest", "orders"}});
  CHECK(log.selects() == 5);  // customers, three relations, the biggest orders' customers
  REQUIRE(all.size() == 2);
  CHECK(totals(all[0].open.value()) == std::vector<double>{10, 30, 200});
  CHECK(totals(all[0].biggest.value()) == std::vector<double>{500, 200});  // limit per parent
  CHECK(all[0].biggest[0].customer.loaded());
  CHECK(all[0].orders.size() == 4);
  CHECK(all[1].open.empty());
  CHECK(totals(all[1].biggest.value()) == std::vector<double>{5});
  // an include's own scope over the relation's, by the same rule
  const auto scoped = w.customers.find_by_id(
      w.ada.id,
      relata::filter<Customer>::from_json(
          R"({"include": [{"relation": "open", "scope": {"where": {"total": {"gt": 20}}}}]})"));
  CHECK(totals(scoped.open.value()) == std::vector<double>{30, 200});
  // belongsTo: a target outside the scope is none
  const auto bobs = w.orders.find(
      {.where = col(&Order::customer_id) == w.bob.id, .include = {"customer", "vip_customer"}});
  REQUIRE(bobs.size() == 1);
  CHECK(bobs[0].customer.has_value());
  CHECK_FALSE(bobs[0].vip_customer.has_value());
  CHECK_FALSE(w.orders.vip_customer(bobs[0].id).has_value());
  CHECK(w.orders.customer(bobs[0].id)->name == "Bob");
  const auto adas = w.orders.find_one({.where = col(&Order::customer_id) == w.ada.id});
  CHECK(w.orders.vip_customer(adas->id)->name == "Ada");
}

TEST_CASE("relation scope: some, none and every count only the targets in scope",
          "[relation-scope]") {
  world w;
  w.some_orders();
  const auto cy = w.customers.create({.name = "Cy"});
  w.orders.create({.customer_id = cy.id, .status = "closed", .total = 1});
  // Ada has open orders; Bob and Cy only closed ones
  CHECK(w.customers.count(relata::some(&Customer::open)) == 1);
  CHECK(w.customers.count(relata::none(&Customer::open)) == 2);
  CHECK(w.customers.count(relata::some(&Customer::orders)) == 3);
  // every open order of Ada's is under 300; her closed 500 does not count
  CHECK(w.customers.count(relata::every(&Customer::open, col(&Order::total) < 300.0)) == 3);
  CHECK(w.customers.count(relata::every(&Customer::orders, col(&Order::total) < 300.0)) == 2);
  CHECK(w.customers.count(relata::where<Customer>::from_json(
            R"({"open": {"some": {"total": {"gt": 100}}}})")) == 1);
  CHECK(w.orders.count(relata::some(&Order::vip_customer)) == 4);
}

TEST_CASE("relation scope: hasOne get and create", "[relation-scope]") {
  world w;
  // a target outside the scope is not the relation's
  w.profiles.create({.customer_id = w.bob.id, .visible = false, .bio = "private"});
  CHECK_THROWS_AS(w.customers.public_profile(w.bob.id).get(), relata::entity_not_found);
  const auto bob = w.customers.find_by_id(w.bob.id, {.include = {"public_profile"}});
  CHECK_FALSE(bob.public_profile.has_value());
  // ...but it is the source's one target: a second is refused, as the unique index would
  CHECK_THROWS_AS(w.customers.public_profile(w.bob.id).create({.bio = "x"}),
                  relata::constraint_violation);
  // create stamps the scope's equality
  const auto made = w.customers.public_profile(w.ada.id).create({.bio = "hello"});
  CHECK(made.visible);
  CHECK(w.customers.public_profile(w.ada.id).get().bio == "hello");
}

TEST_CASE("relation scope: hasManyThrough reads, creates and links inside it", "[relation-scope]") {
  world w;
  const auto ann = w.students.create({.name = "Ann"});
  const auto made = w.students.courses(ann.id).create({.title = "Algebra"});
  CHECK(made.open);  // stamped
  const auto closed = w.courses.create({.title = "Latin", .open = false});
  // linking a course outside the scope would make a link the relation cannot see
  CHECK_THROWS_AS(w.students.courses(ann.id).link(closed.id), relata::constraint_violation);
  CHECK(w.enrollments.count() == 1);
  // a link made another way to a closed course is not seen through the relation
  w.enrollments.create({.student_id = ann.id, .course_id = closed.id});
  CHECK(w.students.courses(ann.id).count() == 1);
  CHECK(w.students.courses(ann.id).find()[0].title == "Algebra");
  const auto with = w.students.find({.include = {"courses"}});
  REQUIRE(with.size() == 1);
  CHECK(with[0].courses.size() == 1);  // LoopBack 3's include ignores the scope here
  CHECK(w.students.count(relata::some(&Student::courses, col(&Course::title) == "Latin")) == 0);
  CHECK(w.students.courses(ann.id).patch({{&Course::title, "Algebra I"}}) == 1);
  CHECK(w.courses.find_by_id(closed.id).title == "Latin");
}

// A target model's default scope holds for every relation reaching it, under the relation's
// own scope.
namespace default_scope_test {

struct Article;
struct Video;
struct Author;
struct Shelf;
struct not_deleted {
  relata::filter<Article> operator()() const;
};
struct long_articles {
  relata::filter<Article> operator()() const;
};
struct Author {
  RELATA_MODEL(Author,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Article>, articles),
               (relata::has_many<Article, relata::scope<long_articles>>, long_reads));
};
struct Article {
  RELATA_MODEL(Article,
               (relata::id<std::int64_t>, id),
               (std::int64_t, author_id),
               (std::int64_t, words),
               (bool, deleted),
               (relata::belongs_to<Author>, author));
  using relata_options = relata::options<relata::default_scope<not_deleted>>;
};
struct Video {
  RELATA_MODEL(Video, (relata::id<std::int64_t>, id), (std::int64_t, seconds));
};
struct Pick {
  RELATA_MODEL(Pick,
               (relata::id<std::int64_t>, id),
               (std::optional<std::int64_t>, item_id),
               (std::optional<std::string>, item_type),
               (relata::belongs_to<relata::one_of<Article, Video>>, item));
};
struct ShelfLink {
  RELATA_MODEL(ShelfLink,
               (relata::id<std::int64_t>, id),
               (std::int64_t, shelf_id),
               (std::int64_t, article_id));
};
struct Shelf {
  RELATA_MODEL(Shelf,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Article, relata::through<ShelfLink>>, articles));
};

relata::filter<Article> not_deleted::operator()() const {
  return {.where = col(&Article::deleted) == false};
}
relata::filter<Article> long_articles::operator()() const {
  return {.where = col(&Article::words) >= 1000};
}

}  // namespace default_scope_test

TEST_CASE("relation scope: a target's default scope holds for every relation reaching it",
          "[relation-scope]") {
  using namespace default_scope_test;
  auto db = relata_test::make_datasource();
  relata::migrate<Author, Article, Video, Pick, Shelf, ShelfLink>(*db);
  relata::repository<Author> authors{*db};
  relata::repository<Article> articles{*db};
  const auto ann = authors.create({.name = "Ann"});
  const auto bob = authors.create({.name = "Bob"});
  const auto kept = authors.articles(ann.id).create({.words = 1200});
  const auto gone = authors.articles(ann.id).create({.words = 3000});
  authors.articles(ann.id).create({.words = 10});
  authors.articles(bob.id).create({.words = 50});
  articles.update_by_id(gone.id, {{&Article::deleted, true}});  // a soft delete

  // accessors: the deleted article is not Ann's any more, through any relation
  CHECK(authors.articles(ann.id).count() == 2);
  CHECK(authors.long_reads(ann.id).count() == 1);  // both scopes
  CHECK(authors.long_reads(ann.id).find()[0].id == kept.id);
  CHECK_THROWS_AS(authors.articles(ann.id).find_by_id(gone.id), relata::entity_not_found);
  CHECK(authors.articles(ann.id).delete_all(col(&Article::words) == 3000) == 0);
  CHECK(articles.unscoped().count() == 4);
  // a create through a relation stays inside the target's default scope
  CHECK_THROWS_AS(authors.articles(bob.id).create({.words = 1, .deleted = true}),
                  relata::constraint_violation);
  CHECK(articles.unscoped().count() == 4);

  // includes and relation conditions
  const auto all =
      authors.find({.order = {relata::asc(&Author::name)}, .include = {"articles", "long_reads"}});
  REQUIRE(all.size() == 2);
  CHECK(all[0].articles.size() == 2);
  CHECK(all[0].long_reads.size() == 1);
  CHECK(authors.count(relata::some(&Author::articles, col(&Article::words) == 3000)) == 0);
  CHECK(authors.count(relata::every(&Author::articles, col(&Article::words) < 2000)) == 2);
  CHECK(authors.count(relata::some(&Author::long_reads)) == 1);

  // hasManyThrough: the link to a deleted article links nothing
  relata::repository<Shelf> shelves{*db};
  const auto shelf = shelves.create({});
  shelves.articles(shelf.id).link(kept.id);
  CHECK_THROWS_AS(shelves.articles(shelf.id).link(gone.id), relata::constraint_violation);
  relata::repository<ShelfLink>{*db}.create({.shelf_id = shelf.id, .article_id = gone.id});
  CHECK(shelves.articles(shelf.id).count() == 1);
  CHECK(shelves.find({.include = {"articles"}})[0].articles.size() == 1);

  // polymorphic belongsTo: a target outside its model's default scope is none
  relata::repository<Pick> picks{*db};
  const auto good = picks.create({.item_id = kept.id, .item_type = "Article"});
  const auto stale = picks.create({.item_id = gone.id, .item_type = "Article"});
  CHECK(picks.item(good.id).has_value());
  CHECK_FALSE(picks.item(stale.id).has_value());
  const auto both = picks.find({.order = {relata::asc(&Pick::id)}, .include = {"item"}});
  REQUIRE(both.size() == 2);
  CHECK(both[0].item.has_value());
  CHECK_FALSE(both[1].item.has_value());
  CHECK(picks.count(relata::some(&Pick::item, relata::on<Article>())) == 1);
}
