// The quickstart's models as examples/rest_server.cpp serves them: its data, and what is
// exposed. The REST tests use the same.
#pragma once

#include <relata/relata.hpp>
#include <relata/rest.hpp>

#include "quickstart_models.hpp"

/// The quickstart's data, in an empty database.
inline void seed_quickstart(relata::datasource& db) {
  relata::repository<Customer> customers{db};
  if (customers.count() > 0) return;
  relata::repository<Tag> tags{db};
  relata::repository<Patient> patients{db};
  relata::repository<Doctor> doctors{db};
  const auto vip = tags.create({.label = "vip"});
  const auto ada = customers.create({.name = "Ada", .age = 36, .tag_ids = {vip.id}});
  const auto bob = customers.create({.name = "Bob", .age = 17});
  customers.orders(ada.id).create({.description = "pens", .total = 3.5});
  customers.orders(ada.id).create({.description = "paper", .total = 12.0});
  customers.orders(bob.id).create({.description = "ink", .total = 1.25});
  customers.address(ada.id).create({.street = "12 St James's Square"});
  const auto pat = patients.create({.name = "Pat"});
  patients.doctors(pat.id).create({.name = "Dr House"}, {.reason = "limp"});
  doctors.create({.name = "Dr Watson"});
}

/// The quickstart's repositories on `db`, exposed: Customer, Order, Patient with everything;
/// Tag read-only; Doctor without its relations. Address and Appointment are reached through
/// relations only.
inline void expose_quickstart(relata::rest::api& api, relata::datasource& db) {
  api.expose(relata::repository<Customer>{db});
  api.expose(relata::repository<Order>{db});
  api.expose(relata::repository<Tag>{db}, {.operations = relata::rest::read_only});
  api.expose(relata::repository<Patient>{db});
  api.expose(relata::repository<Doctor>{db}, {.relations = {}});
}
