#include "harness.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <typeinfo>
#include <utility>
#include <vector>

#include <relata/detail/utf8.hpp>
#include <relata/json.hpp>
#include <relata/memory.hpp>
#include <relata/sqlite.hpp>

namespace relata_fuzz {

using namespace fixtures;

namespace {

/// Messages echo input in part: a longer one echoes something whole.
constexpr std::size_t longest_message = 4096;

/// A JSON value for a failure report: short, whatever bytes it holds.
std::string shown(const nlohmann::json& j) {
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return text.size() > 2000 ? text.substr(0, 2000) + "..." : text;
}

std::string shown(const outcome& o) {
  if (o.ok) return "result " + shown(o.result);
  return "error " + o.message.substr(0, 2000);
}

/// Characters U+0080 to U+00FF of `s` become the single bytes of the same value.
void latin1_to_bytes(std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c == 0xc2 || c == 0xc3) && i + 1 < s.size()) {
      out += static_cast<char>(((c & 0x1f) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3f));
      ++i;
    } else {
      out += s[i];
    }
  }
  s = std::move(out);
}

void populate(relata::datasource& db) {
  fixtures::migrate_all(db);
  relata::migrate<Kinds>(db);
  relata::repository<Account> accounts{db};
  accounts.create({.balance = 10});
  accounts.create({.balance = -2.5});
  relata::repository<Customer> customers{db};
  customers.create({.name = "Ada", .age = 36, .account_ids = {1, 2}});
  customers.create({.name = "Bob"});
  customers.create({.name = "Cy", .age = 17, .parent_id = 1});
  customers.create({.name = "Dee", .age = 60, .parent_id = 1, .account_ids = {2}});
  customers.create({.name = "\xc3\x89mile_%", .age = 0, .parent_id = 3});
  relata::repository<Shipment> shipments{db};
  shipments.create({.name = "first", .shipment_id = "A1"});
  shipments.create({.name = "second", .shipment_id = "B2"});
  customers.orders(1).create({.description = "pens", .total = 3.5, .shipment_info = "A1"});
  customers.orders(1).create({.description = "ink", .total = 1.25});
  customers.orders(2).create({.description = "paper", .total = 12, .shipment_info = "B2"});
  customers.orders(4).create({.description = "book", .total = 0, .shipment_info = "A1"});
  customers.orders(3).create({.description = "pen%_\\x", .total = -1});
  relata::repository<Order> orders{db};
  orders.items(1).create({.product = "blue", .quantity = 2});
  orders.items(1).create({.product = "red", .quantity = 1});
  orders.items(3).create({.product = "a4", .quantity = 500});
  customers.address(1).create({.street = "1 Main", .city = "Oslo"});
  customers.address(4).create({.street = "", .city = "Rome"});
  customers.cart_items(1).create({.description = "pen", .price = 2}, {.description = "a"});
  auto cup = customers.cart_items(1).create({.description = "cup", .price = 5.5});
  customers.cart_items(2).link(cup.id, {.description = "b"});
  customers.cart_items(4).create({.description = "hat", .price = 0});
  relata::repository<User> users{db};
  users.create({.name = "u1"});
  users.create({.name = "u2"});
  users.create({.name = "u3"});
  users.following(1).link(2);
  users.following(1).link(3);
  users.following(2).link(1);
  relata::repository<Kinds> kinds{db};
  kinds.create({.flag = true,
                .small = -5,
                .big = std::numeric_limits<std::int64_t>::max(),
                .single = 1.5F,
                .real = -2.25,
                .text = "h\xc3\xa9llo",
                .bytes = {std::byte{0}, std::byte{255}},
                .at = std::chrono::system_clock::time_point{std::chrono::seconds{981173106}},
                .doc = nlohmann::json{{"a", {1, 2}}},
                .words = {"x", "y"},
                .reals = {1.5, -0.5},
                .maybe = 7});
  kinds.create({});
  kinds.create(
      {.text = "", .at = std::chrono::system_clock::time_point{std::chrono::seconds{-3600}}});
}

}  // namespace

input read_input(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return {};
  return {data[0], std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1)};
}

std::optional<nlohmann::json> read_document(const input& in) {
  auto document = nlohmann::json::parse(in.text, nullptr, false);
  if (document.is_discarded()) return std::nullopt;
  // Without recursion: the document may nest deeper than a stack allows.
  std::vector<nlohmann::json*> pending{&document};
  while (!pending.empty()) {
    nlohmann::json* j = pending.back();
    pending.pop_back();
    if (j->is_string()) {
      latin1_to_bytes(j->get_ref<std::string&>());
    } else if (j->is_object()) {
      nlohmann::json renamed = nlohmann::json::object();
      for (auto& [key, value] : j->items()) {
        std::string name = key;
        latin1_to_bytes(name);
        renamed[name] = std::move(value);
      }
      *j = std::move(renamed);
      for (auto& [key, value] : j->items()) pending.push_back(&value);
    } else if (j->is_array()) {
      for (auto& value : *j) pending.push_back(&value);
    }
  }
  return document;
}

void fail(const std::string& why) {
  std::fprintf(stderr, "relata fuzz: %s\n", why.c_str());
  std::abort();
}

namespace {

void check_message(const relata::error& e) {
  const std::string_view what = e.what();
  if (what.size() > longest_message) {
    fail("a message of " + std::to_string(what.size()) +
         " bytes: " + std::string(what.substr(0, 300)));
  }
  if (!relata::detail::valid_utf8(what)) fail("a message that is not UTF-8: " + std::string(what));
}

}  // namespace

outcome attempt(const std::function<nlohmann::json()>& call) {
  try {
    return {true, call(), {}, {}};
  } catch (const relata::error& e) {
    check_message(e);
    return {false, {}, e.code(), e.what()};
  } catch (const std::exception& e) {
    fail(std::string("a foreign exception escaped: ") + typeid(e).name() + ": " + e.what());
  } catch (...) {
    fail("an exception that is not a std::exception escaped");
  }
}

bool parses(const std::function<void()>& parse) {
  return attempt([&] {
           parse();
           return nlohmann::json();
         })
      .ok;
}

backend::backend(std::string backend_name, std::unique_ptr<relata::datasource> datasource)
    : name(std::move(backend_name)), db(std::move(datasource)), customers(*db), kinds(*db) {
  populate(*db);
  db->observe([this](const relata::query_event& e) {
    if (!e.text.starts_with("SELECT")) wrote = true;
  });
}

nlohmann::json backend::snapshot() const {
  return {relata::repository<Customer>{*db}.find(),
          relata::repository<Order>{*db}.find(),
          relata::repository<OrderItem>{*db}.find(),
          relata::repository<Shipment>{*db}.find(),
          relata::repository<Address>{*db}.find(),
          relata::repository<CartItem>{*db}.find(),
          relata::repository<CustomerCartItemLink>{*db}.find(),
          relata::repository<Account>{*db}.find(),
          relata::repository<User>{*db}.find(),
          relata::repository<UserLink>{*db}.find(),
          relata::repository<Kinds>{*db}.find()};
}

world::world()
    : memory("memory", std::make_unique<relata::memory::datasource>()),
      sqlite("sqlite", std::make_unique<relata::sqlite::datasource>(":memory:")),
      baseline_(memory.snapshot()) {
  if (sqlite.snapshot() != baseline_) fail("the data sets differ from the start");
}

world& world::get() {
  static world w;
  return w;
}

void world::agree(std::string_view what, const outcome& m, const outcome& s) const {
  const bool same = m.ok == s.ok && (m.ok ? m.result == s.result : m.code == s.code);
  if (!same) {
    fail(std::string(what) + ": memory and SQLite disagree\n  memory: " + shown(m) +
         "\n  sqlite: " + shown(s));
  }
}

void world::reads_agree(std::string_view what,
                        const std::function<nlohmann::json(backend&)>& read) {
  auto* lite = static_cast<relata::sqlite::datasource*>(sqlite.db.get());
  const auto changes = sqlite3_total_changes64(lite->native_handle());
  outcome results[2];
  backend* backends[2] = {&memory, &sqlite};
  for (int i = 0; i < 2; ++i) {
    backends[i]->wrote = false;
    results[i] = attempt([&] { return read(*backends[i]); });
    if (backends[i]->wrote) fail(std::string(what) + ": a read wrote on " + backends[i]->name);
  }
  if (sqlite3_total_changes64(lite->native_handle()) != changes) {
    fail(std::string(what) + ": a read changed rows on sqlite");
  }
  agree(what, results[0], results[1]);
}

void world::writes_agree(std::string_view what,
                         const std::function<nlohmann::json(backend&)>& write) {
  outcome results[2];
  backend* backends[2] = {&memory, &sqlite};
  for (int i = 0; i < 2; ++i) {
    backend& b = *backends[i];
    results[i] = attempt([&] {
      relata::transaction tx{*b.db};
      auto result = write(b);
      tx.rollback();
      return result;
    });
    if (b.db->transaction_depth() != 0) fail(std::string(what) + ": a transaction stayed open");
    if (b.snapshot() != baseline_) {
      fail(std::string(what) + ": a rolled back write left changes on " + b.name);
    }
  }
  agree(what, results[0], results[1]);
}

bool out_of_scope(const relata::ast::filter& f) {
  constexpr auto most = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 2);
  if ((f.limit && *f.limit > most) || f.skip > most) return true;
  for (const auto& i : f.include) {
    if (i.scope && out_of_scope(*i.scope)) return true;
  }
  return false;
}

}  // namespace relata_fuzz
