// relata/relations.hpp: every relation kind. A relation is a member whose type names its kind,
// target and options:
//
//     (relata::has_many<Order>, orders)                          // Order::customer_id
//     (relata::has_many<Order, relata::key_to<"buyer_id">>, orders)
//     (relata::belongs_to<Customer>, customer)                   // this->customer_id
//     (relata::has_one<Address>, address)                        // Address::customer_id
//     (relata::has_many<Doctor, relata::through<Appointment>>, doctors)
//     (relata::references_many<Account>, accounts)               // this->account_ids
//     (relata::has_and_belongs_to_many<Tag>, tags)               // link PostTag, made by relata
//     (relata::has_many<Picture, relata::as<"imageable">>, pictures)  // imageable_id, _type
//     (relata::belongs_to<relata::one_of<Customer, Supplier>>, stakeholder)  // its _id, _type
//     (relata::has_one<relata::one_of<CreditCard, Cash>>, payment)  // its payment_type
//     (relata::has_many<relata::one_of<FreeDelivery, HalfPrice>,
//                       relata::through<PromotionLink>>, promotions)  // links: _id, _type
//
// The member holds what an `include` loaded (nothing until then). Each kind is one file in
// relation/ (its member type, its key rules, what it does at run time, its accessor); the
// options are in relation/options.hpp, the key inference and checks in relation/traits.hpp.
#pragma once

#include <relata/relation/as.hpp>
#include <relata/relation/belongs_to.hpp>
#include <relata/relation/has_and_belongs_to_many.hpp>
#include <relata/relation/has_many.hpp>
#include <relata/relation/has_many_as.hpp>
#include <relata/relation/has_many_through.hpp>
#include <relata/relation/has_one.hpp>
#include <relata/relation/has_one_as.hpp>
#include <relata/relation/kind.hpp>
#include <relata/relation/options.hpp>
#include <relata/relation/polymorphic_belongs_to.hpp>
#include <relata/relation/polymorphic_has_many_through.hpp>
#include <relata/relation/polymorphic_has_one.hpp>
#include <relata/relation/references_many.hpp>
#include <relata/relation/storage.hpp>
#include <relata/relation/traits.hpp>
