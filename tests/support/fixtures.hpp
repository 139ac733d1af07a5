// Models shared by the tests, after LoopBack's own relation fixtures: customers and orders,
// a shipment whose hasMany joins on a non-id key, customers with parent and children,
// customers and cart items through a link model carrying a description, users following
// users, an address as hasOne, accounts referenced by an array.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <relata/relata.hpp>

namespace fixtures {

struct Order;
struct Address;
struct CartItem;
struct CustomerCartItemLink;
struct Account;
struct OrderItem;
struct Shipment;

struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::optional<std::int64_t>, age),
               (std::optional<std::int64_t>, parent_id),
               (std::vector<std::int64_t>, account_ids),
               (relata::has_many<Order>, orders),
               (relata::has_one<Address>, address),
               (relata::belongs_to<Customer>, parent),
               (relata::has_many<Customer, relata::key_to<"parent_id">>, children),
               (relata::has_many<CartItem, relata::through<CustomerCartItemLink>>, cart_items),
               (relata::references_many<Account>, accounts));
};

struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::string, description),
               (double, total),
               (std::int64_t, customer_id),
               (std::optional<std::string>, shipment_info),
               (relata::belongs_to<Customer>, customer),
               (relata::belongs_to<Shipment,
                                   relata::key_from<"shipment_info">,
                                   relata::key_to<"shipment_id">>,
                shipment),
               (relata::has_many<OrderItem>, items));
};

struct OrderItem {
  RELATA_MODEL(OrderItem,
               (relata::id<std::int64_t>, id),
               (std::string, product),
               (std::int64_t, quantity),
               (std::int64_t, order_id),
               (relata::belongs_to<Order>, order));
};

/// LoopBack's shipment: its orders join on shipment_id, not on its id.
struct Shipment {
  RELATA_MODEL(
      Shipment,
      (relata::id<std::int64_t>, id),
      (std::string, name),
      (std::string, shipment_id),
      (relata::has_many<Order, relata::key_from<"shipment_id">, relata::key_to<"shipment_info">>,
       shipment_orders));
};

struct Address {
  RELATA_MODEL(Address,
               (relata::id<std::int64_t>, id),
               (std::string, street),
               (std::string, city),
               (std::int64_t, customer_id),
               (relata::belongs_to<Customer>, customer));
};

struct CartItem {
  RELATA_MODEL(CartItem,
               (relata::id<std::int64_t>, id),
               (std::string, description),
               (double, price),
               (relata::has_many<Customer, relata::through<CustomerCartItemLink>>, customers));
};

/// The link model, with a property of its own.
struct CustomerCartItemLink {
  RELATA_MODEL(CustomerCartItemLink,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (std::int64_t, cart_item_id),
               (std::string, description));
};

struct Account {
  RELATA_MODEL(Account, (relata::id<std::int64_t>, id), (double, balance));
};

struct UserLink;

/// Users following users through a link model: a self hasManyThrough, keys named.
struct User {
  RELATA_MODEL(User,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<User,
                                 relata::through<UserLink>,
                                 relata::through_key_from<"follower_id">,
                                 relata::through_key_to<"followee_id">>,
                following),
               (relata::has_many<User,
                                 relata::through<UserLink>,
                                 relata::through_key_from<"followee_id">,
                                 relata::through_key_to<"follower_id">>,
                followers));
};

struct UserLink {
  RELATA_MODEL(UserLink,
               (relata::id<std::int64_t>, id),
               (std::int64_t, follower_id),
               (std::int64_t, followee_id));
};

/// Migrates every fixture model.
inline void migrate_all(relata::datasource& db) {
  relata::migrate<Customer,
                  Order,
                  OrderItem,
                  Shipment,
                  Address,
                  CartItem,
                  CustomerCartItemLink,
                  Account,
                  User,
                  UserLink>(db);
}

}  // namespace fixtures
