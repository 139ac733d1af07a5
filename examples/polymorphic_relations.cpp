// Relations whose targets are of several models, and many-to-many without a link model of your
// own, on SQLite: a shop's contacts are customers or suppliers (polymorphic belongsTo), its
// customers collect promotions of two kinds (polymorphic hasManyThrough), and its products carry
// tags (hasAndBelongsToMany, whose link table relata makes).
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

#include <relata/relata.hpp>
#include <relata/sqlite.hpp>

struct Supplier {
  RELATA_MODEL(Supplier, (relata::id<std::int64_t>, id), (std::string, company));
};

struct FreeDelivery {
  RELATA_MODEL(FreeDelivery, (relata::id<std::int64_t>, id), (std::string, description));
};
struct HalfPrice {
  RELATA_MODEL(HalfPrice,
               (relata::id<std::int64_t>, id),
               (std::string, description),
               (std::int64_t, max_discount));
};
/// A customer's promotion: its model named by promotions_type.
struct CustomerPromotion {
  RELATA_MODEL(CustomerPromotion,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (std::int64_t, promotions_id),
               (std::string, promotions_type));
};
struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<relata::one_of<FreeDelivery, HalfPrice>,
                                 relata::through<CustomerPromotion>>,
                promotions));
};

struct Contact {
  RELATA_MODEL(Contact,
               (relata::id<std::int64_t>, id),
               (std::string, email),
               (std::optional<std::int64_t>, stakeholder_id),
               (std::optional<std::string>, stakeholder_type),  // "Customer" or "Supplier"
               (relata::belongs_to<relata::one_of<Customer, Supplier>>, stakeholder));
};

struct Tag;
struct Product {
  RELATA_MODEL(Product,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_and_belongs_to_many<Tag>, tags));  // link ProductTag, made by relata
};
struct Tag {
  RELATA_MODEL(Tag, (relata::id<std::int64_t>, id), (std::string, label));
};

int main() {
  relata::sqlite::datasource db{":memory:"};
  relata::migrate<Customer,
                  Supplier,
                  FreeDelivery,
                  HalfPrice,
                  CustomerPromotion,
                  Contact,
                  Product,
                  Tag>(db);
  relata::repository<Customer> customers{db};
  relata::repository<Supplier> suppliers{db};
  relata::repository<Contact> contacts{db};
  relata::repository<Product> products{db};
  relata::repository<Tag> tags{db};

  // Polymorphic hasManyThrough: each promotion and its link in one transaction.
  const auto ada = customers.create({.name = "Ada"});
  customers.promotions(ada.id).create(FreeDelivery{.description = "free shipping"});
  customers.promotions(ada.id).create(HalfPrice{.description = "half off", .max_discount = 20});
  // One query for the customers, one for the links, one per promotion model.
  for (const auto& c : customers.find({.include = {"promotions"}})) {
    std::cout << c.name << "'s promotions:\n";
    c.promotions.for_each([](const auto& p) { std::cout << "  " << p.description << "\n"; });
  }
  const auto halves = customers.promotions(ada.id).find<HalfPrice>();
  std::cout << "half-price promotions: " << halves.size() << "\n";

  // Polymorphic belongsTo: the discriminator names the model of the row the key refers to.
  const auto acme = suppliers.create({.company = "Acme"});
  contacts.create(
      {.email = "ada@example.com", .stakeholder_id = ada.id, .stakeholder_type = "Customer"});
  contacts.create(
      {.email = "sales@acme.example", .stakeholder_id = acme.id, .stakeholder_type = "Supplier"});
  for (const auto& c : contacts.find({.include = {"stakeholder"}})) {
    std::cout << c.email << " is ";
    c.stakeholder.visit([](const auto& who) {
      if constexpr (std::is_same_v<std::decay_t<decltype(who)>, Customer>) {
        std::cout << "the customer " << who.name << "\n";
      } else {
        std::cout << "the supplier " << who.company << "\n";
      }
    });
  }

  // hasAndBelongsToMany: link() checks that the tag exists.
  const auto pen = products.create({.name = "pen"});
  const auto office = tags.create({.label = "office"});
  products.tags(pen.id).link(office.id);
  products.tags(pen.id).create({.label = "blue"});
  std::cout << "pen is tagged " << products.tags(pen.id).count() << " times\n";
  return products.tags(pen.id).count() == 2 && halves.size() == 1 ? 0 : 1;
}
