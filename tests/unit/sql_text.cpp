// The SQL text and parameters relata::sql::generator produces with the SQLite dialect, asserted
// exactly and without opening a database (after sqlite_orm's tests): selects with every
// operator, identifier quoting, order / limit / offset, the per-key window and the through join,
// relation conditions, membership, count, update, delete, insert and the DDL of migrate.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <relata/json.hpp>
#include <relata/relata.hpp>
#include <relata/sql/generator.hpp>
#include <relata/sql/postgres_dialect.hpp>
#include <relata/sql/sqlite_dialect.hpp>

#include "support/fixtures.hpp"

namespace Catch {
template <>
struct StringMaker<relata::value> {
  static std::string convert(const relata::value& v) { return v.to_string(); }
};
}  // namespace Catch

using namespace fixtures;
using relata::col;
using relata::value;
using params = std::vector<value>;

namespace sqltext {

struct Profile;
struct Book;
struct Tag;
struct Shelf;
struct BookShelf;

/// Every column type, a hasMany (FK from both sides), a hasOne (unique index), a
/// referencesMany (no FK) and a hasManyThrough (FKs on the link).
struct Author {
  RELATA_MODEL(Author,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::optional<double>, rating),
               (bool, active),
               (relata::blob, avatar),
               (std::optional<relata::timestamp>, born),
               (nlohmann::json, meta),
               (std::vector<std::int64_t>, tag_ids),
               (relata::has_many<Book>, books),
               (relata::has_one<Profile>, profile),
               (relata::references_many<Tag>, tags));
};

struct Book {
  RELATA_MODEL(Book,
               (relata::id<std::int64_t>, id),
               (std::string, title),
               (std::int64_t, author_id),
               (relata::belongs_to<Author>, author),
               (relata::has_many<Shelf, relata::through<BookShelf>>, shelves));
};

struct Profile {
  RELATA_MODEL(Profile,
               (relata::id<std::int64_t>, id),
               (std::string, bio),
               (std::int64_t, author_id));
};

/// A supplied integer id.
struct Tag {
  RELATA_MODEL(Tag, (relata::id<std::int64_t, relata::id_generation::supplied>, id));
};

struct Shelf {
  RELATA_MODEL(Shelf, (relata::id<std::string>, code));
};

/// A link with a composite primary key.
struct BookShelf {
  RELATA_MODEL(BookShelf,
               (relata::id<std::int64_t, relata::id_generation::supplied>, book_id),
               (relata::id<std::string>, shelf_id));
};

/// Names that need quoting: a double quote in the table and in a column.
struct Odd {
  RELATA_MODEL(Odd, (relata::id<std::int64_t>, id), (std::string, name), (std::int64_t, order));
  using relata_options =
      relata::options<relata::table<"odd \"table\"">, relata::column<&Odd::name, "na\"me">>;
};

/// Only a generated key.
struct Counter {
  RELATA_MODEL(Counter, (relata::id<std::int64_t>, id));
};

}  // namespace sqltext

namespace {

const relata::sql::sqlite_dialect sqlite;
const relata::sql::generator generator{sqlite};

template <class M>
std::size_t property(std::string_view name) {
  const auto p = relata::definition_of<M>().find_property(name);
  REQUIRE(p != relata::npos);
  return p;
}

/// A select of every column of M.
template <class M>
relata::select_query select_all(const relata::ast::filter& f = {}) {
  relata::select_query q;
  q.model = &relata::definition_of<M>();
  q.where = f.where;
  q.order = f.order;
  q.limit = f.limit;
  q.skip = f.skip;
  for (std::size_t p = 0; p < q.model->properties.size(); ++p) q.columns.push_back(p);
  return q;
}

/// The statement selecting every column of M with filter `f`.
template <class M>
relata::sql::statement select_with(const relata::filter<M>& f) {
  return generator.select(select_all<M>(f.lower()));
}

/// The statement selecting only Customer's id, where `w`.
relata::sql::statement select_id(const relata::where<Customer>& w) {
  relata::select_query q;
  q.model = &relata::definition_of<Customer>();
  q.where = w.node();
  q.columns = {0};
  return generator.select(q);
}

relata::ast::node_ptr node(relata::ast::node n) {
  return std::make_shared<const relata::ast::node>(std::move(n));
}

}  // namespace

// --- select: columns, where, order, limit ----------------------------------------------------

TEST_CASE("a select without a filter reads every column in order", "[sql]") {
  const auto st = select_with<Customer>({});
  CHECK(st.text == R"(SELECT "id", "name", "age", "parent_id", "account_ids" FROM "Customer")");
  CHECK(st.parameters.empty());
}

TEST_CASE("every comparison operator binds its operand as a parameter", "[sql]") {
  CHECK(select_id(col(&Customer::name) == "Ada").text ==
        R"(SELECT "id" FROM "Customer" WHERE "name" = ?)");
  CHECK(select_id(col(&Customer::name) != "Ada").text ==
        R"(SELECT "id" FROM "Customer" WHERE "name" <> ?)");
  CHECK(select_id(col(&Customer::age) > 1).text ==
        R"(SELECT "id" FROM "Customer" WHERE "age" > ?)");
  CHECK(select_id(col(&Customer::age) >= 1).text ==
        R"(SELECT "id" FROM "Customer" WHERE "age" >= ?)");
  CHECK(select_id(col(&Customer::age) < 1).text ==
        R"(SELECT "id" FROM "Customer" WHERE "age" < ?)");
  CHECK(select_id(col(&Customer::age) <= 1).text ==
        R"(SELECT "id" FROM "Customer" WHERE "age" <= ?)");

  const auto eq = select_id(col(&Customer::name) == "Ada");
  CHECK(eq.parameters == params{value{"Ada"}});
  const auto gt = select_id(col(&Customer::age) > 17);
  CHECK(gt.parameters == params{value{17}});
}

TEST_CASE("inq, nin and between bind one parameter per value, in order", "[sql]") {
  const auto in = select_id(col(&Customer::age).in({30, 10, 20}));
  CHECK(in.text == R"(SELECT "id" FROM "Customer" WHERE "age" IN (?, ?, ?))");
  CHECK(in.parameters == params{value{30}, value{10}, value{20}});

  const auto nin = select_id(col(&Customer::name).not_in(std::vector<std::string>{"a", "b"}));
  CHECK(nin.text == R"(SELECT "id" FROM "Customer" WHERE "name" NOT IN (?, ?))");
  CHECK(nin.parameters == params{value{"a"}, value{"b"}});

  const auto between = select_id(col(&Customer::age).between(18, 65));
  CHECK(between.text == R"(SELECT "id" FROM "Customer" WHERE "age" BETWEEN ? AND ?)");
  CHECK(between.parameters == params{value{18}, value{65}});
}

TEST_CASE("an empty inq matches nothing and an empty nin everything, without parameters", "[sql]") {
  const std::vector<std::int64_t> none;
  const auto in = select_id(col(&Customer::age).in(none));
  CHECK(in.text == R"(SELECT "id" FROM "Customer" WHERE 1 = 0)");
  CHECK(in.parameters.empty());
  const auto nin = select_id(col(&Customer::age).not_in(none));
  CHECK(nin.text == R"(SELECT "id" FROM "Customer" WHERE 1 = 1)");
  CHECK(nin.parameters.empty());
}

TEST_CASE("like and nlike escape with a backslash; ilike and nilike lower both sides", "[sql]") {
  const auto like = select_id(col(&Customer::name).like("A%"));
  CHECK(like.text == R"(SELECT "id" FROM "Customer" WHERE "name" LIKE ? ESCAPE '\')");
  CHECK(like.parameters == params{value{"A%"}});
  CHECK(select_id(col(&Customer::name).not_like("A%")).text ==
        R"(SELECT "id" FROM "Customer" WHERE "name" NOT LIKE ? ESCAPE '\')");

  const auto ilike = select_id(col(&Customer::name).ilike("a_"));
  CHECK(ilike.text ==
        R"(SELECT "id" FROM "Customer" WHERE lower("name") LIKE lower(?) ESCAPE '\')");
  CHECK(ilike.parameters == params{value{"a_"}});
  CHECK(select_id(col(&Customer::name).not_ilike("a_")).text ==
        R"(SELECT "id" FROM "Customer" WHERE lower("name") NOT LIKE lower(?) ESCAPE '\')");
}

TEST_CASE("null tests take no parameter", "[sql]") {
  const auto is_null = select_id(col(&Customer::age) == std::nullopt);
  CHECK(is_null.text == R"(SELECT "id" FROM "Customer" WHERE "age" IS NULL)");
  CHECK(is_null.parameters.empty());
  CHECK(select_id(col(&Customer::age).is_not_null()).text ==
        R"(SELECT "id" FROM "Customer" WHERE "age" IS NOT NULL)");
  CHECK(select_id(col(&Customer::age).exists(false)).text ==
        R"(SELECT "id" FROM "Customer" WHERE "age" IS NULL)");
  // an empty optional compares as a null test
  CHECK(select_id(col(&Customer::age) != std::optional<std::int64_t>{}).text ==
        R"(SELECT "id" FROM "Customer" WHERE "age" IS NOT NULL)");
  // an array property can be tested for null
  CHECK(select_id(col(&Customer::account_ids).is_null()).text ==
        R"(SELECT "id" FROM "Customer" WHERE "account_ids" IS NULL)");
}

TEST_CASE("and / or nest with parentheses, parameters in reading order", "[sql]") {
  const auto st = select_id((col(&Customer::name) == "a" || col(&Customer::age) > 1) &&
                            col(&Customer::parent_id) == 2);
  CHECK(st.text ==
        R"(SELECT "id" FROM "Customer" WHERE (("name" = ? OR "age" > ?) AND "parent_id" = ?))");
  CHECK(st.parameters == params{value{"a"}, value{1}, value{2}});

  const auto deep = select_id(
      col(&Customer::age) == 1 ||
      (col(&Customer::age) == 2 && (col(&Customer::name) == "x" || col(&Customer::name) == "y")));
  CHECK(deep.text == R"(SELECT "id" FROM "Customer" WHERE ("age" = ? OR ("age" = ? AND )"
                     R"(("name" = ? OR "name" = ?))))");
  CHECK(deep.parameters == params{value{1}, value{2}, value{"x"}, value{"y"}});
}

TEST_CASE("an always-true side disappears from an and and swallows an or", "[sql]") {
  CHECK(select_id(col(&Customer::age) == 1 && relata::always<Customer>()).text ==
        R"(SELECT "id" FROM "Customer" WHERE "age" = ?)");
  const auto any = select_id(col(&Customer::age) == 1 || relata::always<Customer>());
  CHECK(any.text == R"(SELECT "id" FROM "Customer")");
  CHECK(any.parameters.empty());
}

TEST_CASE("empty and / or junctions and null children (as parsed from JSON)", "[sql]") {
  using relata::ast::junction;
  const auto age = col(&Customer::age) == 5;
  CHECK(select_id(relata::where<Customer>{node({junction{true, {}}})}).text ==
        R"(SELECT "id" FROM "Customer" WHERE 1 = 1)");
  CHECK(select_id(relata::where<Customer>{node({junction{false, {}}})}).text ==
        R"(SELECT "id" FROM "Customer" WHERE 1 = 0)");
  // a null child: always true, dropped from an and, the answer of an or
  CHECK(select_id(relata::where<Customer>{node({junction{true, {nullptr, age.node()}}})}).text ==
        R"(SELECT "id" FROM "Customer" WHERE ("age" = ?))");
  const auto any =
      select_id(relata::where<Customer>{node({junction{false, {age.node(), nullptr}}})});
  CHECK(any.text == R"(SELECT "id" FROM "Customer" WHERE 1 = 1)");
  CHECK(any.parameters.empty());
}

TEST_CASE("values of every kind are bound, never written into the text", "[sql]") {
  using namespace std::chrono_literals;
  const relata::timestamp noon = relata::timestamp{std::chrono::sys_days{2024y / 1 / 2}} + 12h;
  const auto st = select_with<sqltext::Author>(
      {.where = col(&sqltext::Author::active) == true && col(&sqltext::Author::rating) > 2.5 &&
                col(&sqltext::Author::born) < noon &&
                col(&sqltext::Author::avatar) == relata::blob{std::byte{1}, std::byte{2}} &&
                col(&sqltext::Author::name) == "x'); DROP TABLE \"Author\"; --"});
  CHECK(st.text ==
        R"(SELECT "id", "name", "rating", "active", "avatar", "born", "meta", "tag_ids" )"
        R"(FROM "Author" WHERE (((("active" = ? AND "rating" > ?) AND "born" < ?) AND )"
        R"("avatar" = ?) AND "name" = ?))");
  CHECK(st.parameters == params{value{true},
                                value{2.5},
                                value{noon},
                                value{relata::blob{std::byte{1}, std::byte{2}}},
                                value{"x'); DROP TABLE \"Author\"; --"}});
}

TEST_CASE("identifiers are quoted, double quotes in them doubled", "[sql]") {
  const auto st = select_with<sqltext::Odd>(
      {.where = col(&sqltext::Odd::name) == "n" && col(&sqltext::Odd::order) > 1,
       .order = {relata::asc(&sqltext::Odd::order)}});
  CHECK(st.text == R"(SELECT "id", "na""me", "order" FROM "odd ""table""" )"
                   R"(WHERE ("na""me" = ? AND "order" > ?) ORDER BY "order")");
  CHECK(st.parameters == params{value{"n"}, value{1}});

  const auto count = generator.count(relata::definition_of<sqltext::Odd>(), nullptr);
  CHECK(count.text == R"(SELECT COUNT(*) FROM "odd ""table""")");
}

TEST_CASE("order terms are ASC by default and DESC when asked, in the order given", "[sql]") {
  const auto st = select_with<Order>(
      {.order = {relata::desc(&Order::total), relata::asc(&Order::description)}});
  CHECK(st.text == R"(SELECT "id", "description", "total", "customer_id", "shipment_info" )"
                   R"(FROM "Order" ORDER BY "total" DESC, "description")");
}

TEST_CASE("limit and offset are parameters; an offset alone needs LIMIT -1", "[sql]") {
  // neither: no clause
  CHECK(select_id({}).text == R"(SELECT "id" FROM "Customer")");

  auto q = select_all<Order>();
  q.columns = {0};
  q.limit = 10;
  auto st = generator.select(q);
  CHECK(st.text == R"(SELECT "id" FROM "Order" LIMIT ?)");
  CHECK(st.parameters == params{value{10}});

  q.skip = 20;
  st = generator.select(q);
  CHECK(st.text == R"(SELECT "id" FROM "Order" LIMIT ? OFFSET ?)");
  CHECK(st.parameters == params{value{10}, value{20}});

  q.limit.reset();
  st = generator.select(q);
  CHECK(st.text == R"(SELECT "id" FROM "Order" LIMIT -1 OFFSET ?)");
  CHECK(st.parameters == params{value{20}});

  q.limit = 0;
  q.skip = 0;
  st = generator.select(q);
  CHECK(st.text == R"(SELECT "id" FROM "Order" LIMIT ?)");
  CHECK(st.parameters == params{value{0}});
}

TEST_CASE("a whole filter: where, order, limit and skip, parameters in text order", "[sql]") {
  const auto st =
      select_with<Customer>({.where = col(&Customer::age) >= 18,
                             .order = {relata::desc(&Customer::age), relata::asc(&Customer::id)},
                             .limit = 5,
                             .skip = 10});
  CHECK(st.text == R"(SELECT "id", "name", "age", "parent_id", "account_ids" FROM "Customer" )"
                   R"(WHERE "age" >= ? ORDER BY "age" DESC, "id" LIMIT ? OFFSET ?)");
  CHECK(st.parameters == params{value{18}, value{5}, value{10}});
}

// --- per-key windows and through joins -------------------------------------------------------

TEST_CASE("a per-key window numbers each key's rows and keeps the wanted slice", "[sql]") {
  auto q = select_all<Order>();
  q.columns = {property<Order>("id"), property<Order>("total")};
  q.where = col(&Order::customer_id).in({1, 2}).node();
  q.order = {{property<Order>("total"), true}, {property<Order>("id"), false}};
  q.window = relata::per_key_window{property<Order>("customer_id"), false, 3, 1};
  const auto st = generator.select(q);
  CHECK(st.text ==
        R"(SELECT "w"."id", "w"."total" FROM (SELECT "t"."id", "t"."total", )"
        R"("t"."customer_id" AS "relata_key", ROW_NUMBER() OVER (PARTITION BY "t"."customer_id" )"
        R"(ORDER BY "t"."total" DESC, "t"."id") AS "relata_row" FROM "Order" AS "t" )"
        R"(WHERE "t"."customer_id" IN (?, ?)) AS "w" )"
        R"(WHERE "w"."relata_row" > ? AND "w"."relata_row" <= ? )"
        R"(ORDER BY "w"."relata_key", "w"."relata_row")");
  // the key chunk, then skip and skip + limit
  CHECK(st.parameters == params{value{1}, value{2}, value{1}, value{4}});
}

TEST_CASE("a per-key window without a limit only skips", "[sql]") {
  auto q = select_all<Order>();
  q.columns = {property<Order>("id")};
  q.where = (col(&Order::customer_id) == 7).node();
  q.window = relata::per_key_window{property<Order>("customer_id"), false, std::nullopt, 2};
  const auto st = generator.select(q);
  CHECK(st.text == R"(SELECT "w"."id" FROM (SELECT "t"."id", "t"."customer_id" AS "relata_key", )"
                   R"(ROW_NUMBER() OVER (PARTITION BY "t"."customer_id") AS "relata_row" )"
                   R"(FROM "Order" AS "t" WHERE "t"."customer_id" = ?) AS "w" )"
                   R"(WHERE "w"."relata_row" > ? ORDER BY "w"."relata_key", "w"."relata_row")");
  CHECK(st.parameters == params{value{7}, value{2}});
}

TEST_CASE(
    "a per-key window whose skip + limit passes 2^63 - 1 has no upper bound, never a "
    "wrapped one",
    "[sql][regression]") {
  constexpr std::uint64_t top = 9223372036854775807ULL;
  auto q = select_all<Order>();
  q.columns = {property<Order>("id")};
  q.where = (col(&Order::customer_id) == 7).node();
  q.window = relata::per_key_window{property<Order>("customer_id"), false, top, 1};
  auto st = generator.select(q);
  CHECK(st.text.find("\"relata_row\" <=") == std::string::npos);
  CHECK(st.parameters == params{value{7}, value{1}});
  q.window = relata::per_key_window{property<Order>("customer_id"), false, top - 1, 1};
  st = generator.select(q);
  CHECK(st.text.find("\"w\".\"relata_row\" <= ?") != std::string::npos);
  CHECK(st.parameters == params{value{7}, value{1}, value{static_cast<std::int64_t>(top)}});
}

namespace {

/// CartItems joined with their links to the customers in `customers`.
relata::select_query cart_items_of(std::initializer_list<std::int64_t> customers) {
  const auto& link = relata::definition_of<CustomerCartItemLink>();
  auto q = select_all<CartItem>();
  q.through = relata::through_join{&link,
                                   property<CustomerCartItemLink>("cart_item_id"),
                                   property<CartItem>("id"),
                                   property<CustomerCartItemLink>("customer_id"),
                                   col(&CustomerCartItemLink::customer_id).in(customers).node()};
  return q;
}

}  // namespace

TEST_CASE("a through join returns the link's source key as one more column", "[sql]") {
  // The links are read as distinct (target, source) pairs: a pair linked twice is one row.
  auto q = cart_items_of({4, 5});
  q.order = {{property<CartItem>("id"), false}};
  auto st = generator.select(q);
  CHECK(st.text == R"(SELECT "t"."id", "t"."description", "t"."price", "l"."customer_id" )"
                   R"(FROM "CartItem" AS "t" JOIN (SELECT DISTINCT "cart_item_id", "customer_id" )"
                   R"(FROM "CustomerCartItemLink" WHERE "customer_id" IN (?, ?)) AS "l" )"
                   R"(ON "l"."cart_item_id" = "t"."id" ORDER BY "t"."id")");
  CHECK(st.parameters == params{value{4}, value{5}});

  // a condition on the target follows the join: its parameters come after the link's
  q.where = (col(&CartItem::price) > 9.5).node();
  st = generator.select(q);
  CHECK(st.text == R"(SELECT "t"."id", "t"."description", "t"."price", "l"."customer_id" )"
                   R"(FROM "CartItem" AS "t" JOIN (SELECT DISTINCT "cart_item_id", "customer_id" )"
                   R"(FROM "CustomerCartItemLink" WHERE "customer_id" IN (?, ?)) AS "l" )"
                   R"(ON "l"."cart_item_id" = "t"."id" WHERE "t"."price" > ? ORDER BY "t"."id")");
  CHECK(st.parameters == params{value{4}, value{5}, value{9.5}});
}

TEST_CASE("a through join with a per-key window partitions by the link's key", "[sql]") {
  auto q = cart_items_of({4, 5});
  q.order = {{property<CartItem>("price"), true}, {property<CartItem>("id"), false}};
  q.window = relata::per_key_window{property<CustomerCartItemLink>("customer_id"), true, 2, 0};
  const auto st = generator.select(q);
  CHECK(st.text ==
        R"(SELECT "w"."id", "w"."description", "w"."price", "w"."relata_key" FROM (SELECT )"
        R"("t"."id", "t"."description", "t"."price", "l"."customer_id" AS "relata_key", )"
        R"(ROW_NUMBER() OVER (PARTITION BY "l"."customer_id" ORDER BY "t"."price" DESC, "t"."id") )"
        R"(AS "relata_row" FROM "CartItem" AS "t" JOIN (SELECT DISTINCT "cart_item_id", )"
        R"("customer_id" FROM "CustomerCartItemLink" WHERE "customer_id" IN (?, ?)) AS "l" )"
        R"(ON "l"."cart_item_id" = "t"."id") AS "w" )"
        R"(WHERE "w"."relata_row" > ? AND "w"."relata_row" <= ? )"
        R"(ORDER BY "w"."relata_key", "w"."relata_row")");
  CHECK(st.parameters == params{value{4}, value{5}, value{0}, value{2}});
}

// --- relation conditions and membership ------------------------------------------------------

TEST_CASE("some / none / every on a hasMany are EXISTS / NOT EXISTS subqueries", "[sql]") {
  const auto big = col(&Order::total) > 100.0;
  const auto some = select_id(relata::some(&Customer::orders, big));
  CHECK(some.text == R"(SELECT "id" FROM "Customer" WHERE EXISTS (SELECT 1 FROM "Order" AS "r1" )"
                     R"(WHERE "r1"."customer_id" = "Customer"."id" AND ("r1"."total" > ?)))");
  CHECK(some.parameters == params{value{100.0}});

  CHECK(select_id(relata::some(&Customer::orders)).text ==
        R"(SELECT "id" FROM "Customer" WHERE EXISTS (SELECT 1 FROM "Order" AS "r1" )"
        R"(WHERE "r1"."customer_id" = "Customer"."id"))");
  CHECK(select_id(relata::none(&Customer::orders, big)).text ==
        R"(SELECT "id" FROM "Customer" WHERE NOT EXISTS (SELECT 1 FROM "Order" AS "r1" )"
        R"(WHERE "r1"."customer_id" = "Customer"."id" AND ("r1"."total" > ?)))");
  CHECK(select_id(relata::none(&Customer::orders)).text ==
        R"(SELECT "id" FROM "Customer" WHERE NOT EXISTS (SELECT 1 FROM "Order" AS "r1" )"
        R"(WHERE "r1"."customer_id" = "Customer"."id"))");
  // every: no related row for which the condition is not true (NULL counts as not true)
  CHECK(select_id(relata::every(&Customer::orders, big)).text ==
        R"(SELECT "id" FROM "Customer" WHERE NOT EXISTS (SELECT 1 FROM "Order" AS "r1" )"
        R"(WHERE "r1"."customer_id" = "Customer"."id" AND ("r1"."total" > ?) IS NOT TRUE))");
  // every row of an empty condition: always true
  const auto every_row = select_id(relata::every(&Customer::orders, relata::where<Order>{}));
  CHECK(every_row.text == R"(SELECT "id" FROM "Customer" WHERE 1 = 1)");
}

TEST_CASE("relation conditions on belongsTo, hasOne and a non-id key", "[sql]") {
  CHECK(generator
            .count(relata::definition_of<Order>(),
                   relata::some(&Order::customer, col(&Customer::name) == "Ada").node())
            .text == R"(SELECT COUNT(*) FROM "Order" WHERE EXISTS (SELECT 1 FROM "Customer" AS )"
                     R"("r1" WHERE "r1"."id" = "Order"."customer_id" AND ("r1"."name" = ?)))");
  CHECK(select_id(relata::none(&Customer::address)).text ==
        R"(SELECT "id" FROM "Customer" WHERE NOT EXISTS (SELECT 1 FROM "Address" AS "r1" )"
        R"(WHERE "r1"."customer_id" = "Customer"."id"))");
  CHECK(
      generator
          .count(relata::definition_of<Shipment>(), relata::some(&Shipment::shipment_orders).node())
          .text == R"(SELECT COUNT(*) FROM "Shipment" WHERE EXISTS (SELECT 1 FROM "Order" AS )"
                   R"("r1" WHERE "r1"."shipment_info" = "Shipment"."shipment_id"))");
}

TEST_CASE("a hasManyThrough condition joins the link to the target", "[sql]") {
  const auto st = select_id(relata::some(&Customer::cart_items, col(&CartItem::price) < 5.0));
  CHECK(st.text == R"(SELECT "id" FROM "Customer" WHERE EXISTS (SELECT 1 FROM )"
                   R"("CustomerCartItemLink" AS "r2" JOIN "CartItem" AS "r1" ON "r1"."id" = )"
                   R"("r2"."cart_item_id" WHERE "r2"."customer_id" = "Customer"."id" AND )"
                   R"(("r1"."price" < ?)))");
  CHECK(st.parameters == params{value{5.0}});
}

TEST_CASE("a referencesMany condition reads the array with json_each", "[sql]") {
  const auto st = select_id(relata::some(&Customer::accounts, col(&Account::balance) > 0.0));
  CHECK(st.text ==
        R"(SELECT "id" FROM "Customer" WHERE EXISTS (SELECT 1 FROM "Account" AS "r1" )"
        R"(WHERE "r1"."id" IN (SELECT "value" FROM json_each("Customer"."account_ids")) )"
        R"(AND ("r1"."balance" > ?)))");
  CHECK(st.parameters == params{value{0.0}});
}

TEST_CASE("nested relation conditions refer to the enclosing alias", "[sql]") {
  const auto st =
      select_id(col(&Customer::age) > 1 &&
                relata::some(&Customer::orders,
                             relata::some(&Order::items, col(&OrderItem::quantity) > 2) &&
                                 col(&Order::total) < 9.0));
  CHECK(st.text ==
        R"(SELECT "id" FROM "Customer" WHERE ("age" > ? AND EXISTS (SELECT 1 FROM )"
        R"("Order" AS "r1" WHERE "r1"."customer_id" = "Customer"."id" AND )"
        R"(((EXISTS (SELECT 1 FROM "OrderItem" AS "r2" WHERE "r2"."order_id" = "r1"."id" )"
        R"(AND ("r2"."quantity" > ?)) AND "r1"."total" < ?)))))");
  CHECK(st.parameters == params{value{1}, value{2}, value{9.0}});
}

TEST_CASE("a relation condition inside a windowed select refers to the \"t\" alias", "[sql]") {
  auto q = select_all<Order>();
  q.columns = {property<Order>("id")};
  q.where = (col(&Order::customer_id).in({1}) && relata::some(&Order::items)).node();
  q.window = relata::per_key_window{property<Order>("customer_id"), false, 1, 0};
  const auto st = generator.select(q);
  CHECK(st.text == R"(SELECT "w"."id" FROM (SELECT "t"."id", "t"."customer_id" AS "relata_key", )"
                   R"(ROW_NUMBER() OVER (PARTITION BY "t"."customer_id") AS "relata_row" FROM )"
                   R"("Order" AS "t" WHERE ("t"."customer_id" IN (?) AND EXISTS (SELECT 1 FROM )"
                   R"("OrderItem" AS "r1" WHERE "r1"."order_id" = "t"."id"))) AS "w" WHERE )"
                   R"("w"."relata_row" > ? AND "w"."relata_row" <= ? ORDER BY "w"."relata_key", )"
                   R"("w"."relata_row")");
  CHECK(st.parameters == params{value{1}, value{0}, value{1}});
}

TEST_CASE("membership is IN / NOT IN a subquery on another model", "[sql]") {
  const auto& link = relata::definition_of<CustomerCartItemLink>();
  const auto in = select_id(relata::where<Customer>{
      node({relata::ast::membership{property<Customer>("id"),
                                    false,
                                    &link,
                                    property<CustomerCartItemLink>("customer_id"),
                                    (col(&CustomerCartItemLink::cart_item_id) == 3).node()}})});
  CHECK(in.text == R"(SELECT "id" FROM "Customer" WHERE "id" IN (SELECT "r1"."customer_id" FROM )"
                   R"("CustomerCartItemLink" AS "r1" WHERE "r1"."cart_item_id" = ?))");
  CHECK(in.parameters == params{value{3}});

  const auto not_in = select_id(relata::where<Customer>{node({relata::ast::membership{
      property<Customer>("id"), true, &link, property<CustomerCartItemLink>("customer_id"), {}}})});
  CHECK(not_in.text == R"(SELECT "id" FROM "Customer" WHERE "id" NOT IN (SELECT )"
                       R"("r1"."customer_id" FROM "CustomerCartItemLink" AS "r1"))");
  CHECK(not_in.parameters.empty());
}

// --- count, update, delete, insert -----------------------------------------------------------

TEST_CASE("count", "[sql]") {
  const auto& customer = relata::definition_of<Customer>();
  CHECK(generator.count(customer, nullptr).text == R"(SELECT COUNT(*) FROM "Customer")");
  const auto st = generator.count(customer, (col(&Customer::age) >= 18).node());
  CHECK(st.text == R"(SELECT COUNT(*) FROM "Customer" WHERE "age" >= ?)");
  CHECK(st.parameters == params{value{18}});
}

TEST_CASE("update binds the new values before the condition's", "[sql]") {
  const relata::changes<Order> changes{
      {&Order::total, 4.0}, {&Order::shipment_info, std::nullopt}, {&Order::description, "pens"}};
  const auto st =
      generator.update(relata::definition_of<Order>(),
                       changes.assignments(),
                       (col(&Order::customer_id) == 1 && col(&Order::total) < 4.0).node());
  CHECK(st.text == R"(UPDATE "Order" SET "total" = ?, "shipment_info" = ?, "description" = ? )"
                   R"(WHERE ("customer_id" = ? AND "total" < ?))");
  CHECK(st.parameters == params{value{4.0}, value{}, value{"pens"}, value{1}, value{4.0}});

  const relata::changes<Order> one{{&Order::total, 1.0}};
  CHECK(generator.update(relata::definition_of<Order>(), one.assignments(), nullptr).text ==
        R"(UPDATE "Order" SET "total" = ?)");
}

TEST_CASE("delete", "[sql]") {
  const auto& order = relata::definition_of<Order>();
  CHECK(generator.remove(order, nullptr).text == R"(DELETE FROM "Order")");
  const auto st = generator.remove(order, col(&Order::id).in({5, 6}).node());
  CHECK(st.text == R"(DELETE FROM "Order" WHERE "id" IN (?, ?))");
  CHECK(st.parameters == params{value{5}, value{6}});
}

TEST_CASE("insert names every column, the generated key only when it is given", "[sql]") {
  const auto& customer = relata::definition_of<Customer>();
  CHECK(
      generator.insert(customer, false) ==
      R"(INSERT INTO "Customer" ("name", "age", "parent_id", "account_ids") VALUES (?, ?, ?, ?))");
  CHECK(generator.insert(customer, true) ==
        R"(INSERT INTO "Customer" ("id", "name", "age", "parent_id", "account_ids") )"
        R"(VALUES (?, ?, ?, ?, ?))");
  // a supplied key is always a column
  const auto& link = relata::definition_of<sqltext::BookShelf>();
  CHECK(generator.insert(link, false) ==
        R"(INSERT INTO "BookShelf" ("book_id", "shelf_id") VALUES (?, ?))");
  // nothing but a generated key
  CHECK(generator.insert(relata::definition_of<sqltext::Counter>(), false) ==
        R"(INSERT INTO "Counter" DEFAULT VALUES)");
  CHECK(generator.insert(relata::definition_of<sqltext::Odd>(), false) ==
        R"(INSERT INTO "odd ""table""" ("na""me", "order") VALUES (?, ?))");
}

// --- create_tables ---------------------------------------------------------------------------

TEST_CASE("create_tables: column types, NOT NULL, keys, foreign keys and indexes", "[sql]") {
  using namespace sqltext;
  const std::vector<const relata::model_definition*> models{&relata::definition_of<Author>(),
                                                            &relata::definition_of<Book>(),
                                                            &relata::definition_of<Profile>(),
                                                            &relata::definition_of<Tag>(),
                                                            &relata::definition_of<Shelf>(),
                                                            &relata::definition_of<BookShelf>()};
  const auto ddl = generator.create_tables(models);
  const std::vector<std::string> expected{
      R"(CREATE TABLE IF NOT EXISTS "Author" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
      R"("name" TEXT NOT NULL, "rating" REAL, "active" INTEGER NOT NULL, "avatar" BLOB NOT NULL, )"
      R"("born" TEXT, "meta" TEXT NOT NULL, "tag_ids" TEXT NOT NULL))",
      // the hasMany and the belongsTo describe one foreign key
      R"(CREATE TABLE IF NOT EXISTS "Book" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
      R"("title" TEXT NOT NULL, "author_id" INTEGER NOT NULL, )"
      R"(FOREIGN KEY ("author_id") REFERENCES "Author" ("id")))",
      R"(CREATE TABLE IF NOT EXISTS "Profile" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
      R"("bio" TEXT NOT NULL, "author_id" INTEGER NOT NULL, )"
      R"(FOREIGN KEY ("author_id") REFERENCES "Author" ("id")))",
      // a supplied integer id: no AUTOINCREMENT; referencesMany: no foreign key
      R"(CREATE TABLE IF NOT EXISTS "Tag" ("id" INTEGER NOT NULL PRIMARY KEY))",
      R"(CREATE TABLE IF NOT EXISTS "Shelf" ("code" TEXT NOT NULL PRIMARY KEY))",
      // a composite primary key, and the link's two foreign keys
      R"(CREATE TABLE IF NOT EXISTS "BookShelf" ("book_id" INTEGER NOT NULL, )"
      R"("shelf_id" TEXT NOT NULL, PRIMARY KEY ("book_id", "shelf_id"), )"
      R"(FOREIGN KEY ("book_id") REFERENCES "Book" ("id"), )"
      R"(FOREIGN KEY ("shelf_id") REFERENCES "Shelf" ("code")))",
      R"(CREATE INDEX IF NOT EXISTS "Book_author_id_idx" ON "Book" ("author_id"))",
      // a hasOne's foreign key is unique
      R"(CREATE UNIQUE INDEX IF NOT EXISTS "Profile_author_id_key" ON "Profile" ("author_id"))",
      R"(CREATE INDEX IF NOT EXISTS "BookShelf_book_id_idx" ON "BookShelf" ("book_id"))",
      R"(CREATE INDEX IF NOT EXISTS "BookShelf_shelf_id_idx" ON "BookShelf" ("shelf_id"))",
  };
  CHECK(ddl == expected);
}

TEST_CASE("add_column adds a nullable column of the property's type (autoupdate)", "[sql]") {
  const auto& m = relata::definition_of<Customer>();
  CHECK(generator.add_column(m, property<Customer>("age")) ==
        R"(ALTER TABLE "Customer" ADD COLUMN "age" INTEGER)");
  const relata::sql::generator postgres{relata::sql::postgres_dialect::instance()};
  CHECK(postgres.add_column(m, property<Customer>("age")) ==
        R"(ALTER TABLE "Customer" ADD COLUMN "age" BIGINT)");
}

TEST_CASE("create_tables: foreign keys only between the models migrated together", "[sql]") {
  using namespace sqltext;
  const std::vector<const relata::model_definition*> models{&relata::definition_of<Book>()};
  CHECK(generator.create_tables(models) ==
        std::vector<std::string>{
            R"(CREATE TABLE IF NOT EXISTS "Book" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
            R"("title" TEXT NOT NULL, "author_id" INTEGER NOT NULL))",
            R"(CREATE INDEX IF NOT EXISTS "Book_author_id_idx" ON "Book" ("author_id"))"});
}

TEST_CASE("create_tables quotes table, column, constraint and index names", "[sql]") {
  const std::vector<const relata::model_definition*> models{&relata::definition_of<sqltext::Odd>()};
  CHECK(
      generator.create_tables(models) ==
      std::vector<std::string>{R"(CREATE TABLE IF NOT EXISTS "odd ""table""" ()"
                               R"("id" INTEGER PRIMARY KEY AUTOINCREMENT, "na""me" TEXT NOT NULL, )"
                               R"("order" INTEGER NOT NULL))"});
}

TEST_CASE("create_tables: a self relation and a nullable foreign key", "[sql]") {
  const std::vector<const relata::model_definition*> models{&relata::definition_of<Customer>()};
  CHECK(generator.create_tables(models) ==
        std::vector<std::string>{
            R"(CREATE TABLE IF NOT EXISTS "Customer" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
            R"("name" TEXT NOT NULL, "age" INTEGER, "parent_id" INTEGER, )"
            R"("account_ids" TEXT NOT NULL, )"
            R"(FOREIGN KEY ("parent_id") REFERENCES "Customer" ("id")))",
            R"(CREATE INDEX IF NOT EXISTS "Customer_parent_id_idx" ON "Customer" ("parent_id"))"});
}

namespace sqltext {
struct Label;
struct Ticket;
struct Card {
  RELATA_MODEL(
      Card,
      (relata::id<std::int64_t>, id),
      (relata::has_and_belongs_to_many<Label, relata::on_delete<relata::delete_rule::cascade>>,
       labels),
      (relata::has_many<Ticket, relata::on_delete<relata::delete_rule::set_null>>, tickets));
};
struct Label {
  RELATA_MODEL(Label, (relata::id<std::int64_t>, id), (std::string, name));
};
struct Ticket {
  RELATA_MODEL(Ticket, (relata::id<std::int64_t>, id), (std::optional<std::int64_t>, card_id));
};
}  // namespace sqltext

TEST_CASE("create_tables: a hasAndBelongsToMany's link, and ON DELETE rules", "[sql]") {
  using namespace sqltext;
  const std::vector<const relata::model_definition*> models{
      &relata::definition_of<Card>(),
      &relata::definition_of<Label>(),
      &relata::definition_of<Ticket>(),
      &relata::definition_of<Card>().relations.at(0).through()};
  CHECK(generator.create_tables(models) ==
        std::vector<std::string>{
            R"(CREATE TABLE IF NOT EXISTS "Card" ("id" INTEGER PRIMARY KEY AUTOINCREMENT))",
            R"(CREATE TABLE IF NOT EXISTS "Label" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
            R"("name" TEXT NOT NULL))",
            R"(CREATE TABLE IF NOT EXISTS "Ticket" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
            R"("card_id" INTEGER, )"
            R"(FOREIGN KEY ("card_id") REFERENCES "Card" ("id") ON DELETE SET NULL))",
            R"(CREATE TABLE IF NOT EXISTS "CardLabel" ("card_id" INTEGER NOT NULL, )"
            R"("label_id" INTEGER NOT NULL, PRIMARY KEY ("card_id", "label_id"), )"
            R"(FOREIGN KEY ("card_id") REFERENCES "Card" ("id") ON DELETE CASCADE, )"
            R"(FOREIGN KEY ("label_id") REFERENCES "Label" ("id") ON DELETE CASCADE))",
            R"(CREATE INDEX IF NOT EXISTS "CardLabel_card_id_idx" ON "CardLabel" ("card_id"))",
            R"(CREATE INDEX IF NOT EXISTS "CardLabel_label_id_idx" ON "CardLabel" ("label_id"))",
            R"(CREATE INDEX IF NOT EXISTS "Ticket_card_id_idx" ON "Ticket" ("card_id"))"});
}

namespace sqltext {
struct Seat {
  RELATA_MODEL(Seat,
               (relata::id<std::int64_t>, id),
               (std::string, hall),
               (std::int64_t, row),
               (std::int64_t, number),
               (std::optional<std::string>, holder));
  using relata_options = relata::options<relata::unique<&Seat::hall, &Seat::row, &Seat::number>,
                                         relata::unique<&Seat::holder>>;
};
}  // namespace sqltext

TEST_CASE("create_tables: a model's unique keys, in declared column order", "[sql]") {
  const std::vector<const relata::model_definition*> models{
      &relata::definition_of<sqltext::Seat>()};
  CHECK(generator.create_tables(models) ==
        std::vector<std::string>{
            R"(CREATE TABLE IF NOT EXISTS "Seat" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
            R"("hall" TEXT NOT NULL, "row" INTEGER NOT NULL, "number" INTEGER NOT NULL, )"
            R"("holder" TEXT))",
            R"(CREATE UNIQUE INDEX IF NOT EXISTS "Seat_hall_row_number_key" ON "Seat" )"
            R"(("hall", "row", "number"))",
            R"(CREATE UNIQUE INDEX IF NOT EXISTS "Seat_holder_key" ON "Seat" ("holder"))"});
}

TEST_CASE("upsert: one INSERT ... ON CONFLICT ... DO UPDATE that returns the row", "[sql]") {
  const auto& seat = relata::definition_of<sqltext::Seat>();
  const std::vector<std::size_t> key{1, 2, 3}, holder{4};
  CHECK(generator.upsert(seat, false, key, holder) ==
        R"(INSERT INTO "Seat" ("hall", "row", "number", "holder") VALUES (?, ?, ?, ?) )"
        R"(ON CONFLICT ("hall", "row", "number") DO UPDATE SET "holder" = excluded."holder" )"
        R"(RETURNING "id", "hall", "row", "number", "holder")");
  // nothing to update: a no-op assignment, so that the stored row still comes back
  const std::vector<std::size_t> id{0};
  const relata::sql::generator postgres{relata::sql::postgres_dialect::instance()};
  CHECK(postgres.upsert(seat, true, id, {}) ==
        R"(INSERT INTO "Seat" ("id", "hall", "row", "number", "holder") )"
        R"(VALUES ($1, $2, $3, $4, $5) ON CONFLICT ("id") DO UPDATE SET "id" = excluded."id" )"
        R"(RETURNING "id", "hall", "row", "number", "holder")");
}

namespace sqltext {
struct Person {
  RELATA_MODEL(Person, (relata::id<std::int64_t>, id));
};
struct Company {
  RELATA_MODEL(Company, (relata::id<std::int64_t>, id));
};
struct Invoice {
  RELATA_MODEL(Invoice,
               (relata::id<std::int64_t>, id),
               (std::optional<std::int64_t>, payer_id),
               (std::optional<std::string>, payer_type),
               (relata::belongs_to<relata::one_of<Person, Company>>, payer));
};
}  // namespace sqltext

TEST_CASE(
    "create_tables: a polymorphic belongs_to checks its discriminator and indexes "
    "(type, key)",
    "[sql]") {
  const std::vector<const relata::model_definition*> models{
      &relata::definition_of<sqltext::Person>(),
      &relata::definition_of<sqltext::Company>(),
      &relata::definition_of<sqltext::Invoice>()};
  const auto statements = generator.create_tables(models);
  REQUIRE(statements.size() == 4);
  CHECK(statements[2] ==
        R"(CREATE TABLE IF NOT EXISTS "Invoice" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
        R"("payer_id" INTEGER, "payer_type" TEXT, CONSTRAINT "Invoice_payer_type_check" )"
        R"(CHECK ("payer_type" IN ('Person', 'Company'))))");
  CHECK(statements[3] == R"(CREATE INDEX IF NOT EXISTS "Invoice_payer_type_payer_id_idx" ON )"
                         R"("Invoice" ("payer_type", "payer_id"))");
  // PostgreSQL adds it apart, once, so that an existing table gains it too
  const relata::sql::generator postgres{relata::sql::postgres_dialect::instance()};
  const auto pg = postgres.create_tables(models);
  REQUIRE(pg.size() == 5);
  CHECK(pg[3] ==
        R"(DO $relata$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = )"
        R"('Invoice_payer_type_check' AND conrelid = to_regclass('"Invoice"')) THEN ALTER TABLE )"
        R"("Invoice" ADD CONSTRAINT "Invoice_payer_type_check" CHECK ("payer_type" IN )"
        R"(('Person', 'Company')); END IF; END $relata$)");
}
