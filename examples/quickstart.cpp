// relata quickstart: models with every relation kind, on SQLite.
//
//   build/examples/quickstart [database file]      (default: an in-memory database)
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

#include "quickstart_models.hpp"

int main(int argc, char** argv) {
  relata::sqlite::datasource db{argc > 1 ? argv[1] : ":memory:"};
  relata::migrate<Customer, Order, Address, Tag, Patient, Doctor, Appointment>(db);

  std::size_t queries = 0;
  db.observe([&](const relata::query_event&) { ++queries; });

  relata::repository<Customer> customers{db};
  relata::repository<Order> orders{db};
  relata::repository<Tag> tags{db};
  relata::repository<Patient> patients{db};

  // hasMany: a constrained repository
  auto vip = tags.create({.label = "vip"});
  auto ada = customers.create({.name = "Ada", .age = 36, .tag_ids = {vip.id}});
  auto bob = customers.create({.name = "Bob", .age = 17});
  auto pens = customers.orders(ada.id).create({.description = "pens", .total = 3.5});
  customers.orders(ada.id).create({.description = "paper", .total = 12.0});
  customers.orders(bob.id).create({.description = "ink", .total = 1.25});

  auto big = customers.orders(ada.id).find({.where = relata::col(&Order::total) > 2.0});
  std::cout << "Ada has " << big.size() << " orders over 2.0\n";
  customers.orders(ada.id).patch({{&Order::total, 4.0}}, relata::col(&Order::total) < 4.0);

  // belongsTo: the target of a source
  auto owner = orders.customer(pens.id);
  std::cout << "pens belong to " << owner->name << "\n";

  // hasOne
  customers.address(ada.id).create({.street = "12 St James's Square"});
  std::cout << "Ada lives at " << customers.address(ada.id).get().street << "\n";

  // hasManyThrough: target and link in one transaction
  auto pat = patients.create({.name = "Pat"});
  auto house = patients.doctors(pat.id).create({.name = "Dr House"}, {.reason = "limp"});
  patients.doctors(pat.id).create({.name = "Dr Watson"}, {.reason = "check-up"});
  patients.doctors(pat.id).unlink(house.id);
  std::cout << "Pat sees " << patients.doctors(pat.id).count() << " doctor(s)\n";

  // referencesMany: every referenced target, in array order
  std::cout << "Ada's tags: " << customers.tags(ada.id).count() << "\n";

  // include: one query per relation, not one per customer
  queries = 0;
  auto all = customers.find({.include = {"orders", "address", "tags"}});
  std::cout << "customers with orders, address and tags in " << queries << " queries:\n"
            << relata::dump_json(all, 2) << '\n';

  // the same kind of filter from an untrusted source (a REST query string), validated
  auto f = relata::filter<Customer>::from_json(
      R"({"where":{"age":{"gte":18}},
          "include":[{"relation":"orders","scope":{"limit":1,"order":["total DESC"]}}]})");
  for (const auto& c : customers.find(f)) {
    std::cout << c.name << "'s biggest order: " << c.orders[0].description << "\n";
  }

  // filter by a related model: customers having an order over 10
  auto spenders =
      customers.find({.where = relata::some(&Customer::orders, relata::col(&Order::total) > 10.0)});
  std::cout << spenders.size() << " customer(s) spent over 10 in one order\n";

  // errors are typed and say what is wrong
  try {
    relata::filter<Customer>::from_json(R"({"where":{"agee":{"gte":18}}})");
  } catch (const relata::invalid_filter& e) {
    std::cout << e.what() << "\n";
  }
  try {
    customers.orders(ada.id).create({.description = "stolen", .total = 1, .customer_id = bob.id});
  } catch (const relata::constraint_violation& e) {
    std::cout << e.what() << "\n";
  }
}
