// The quickstart's models, one of each relation kind: examples/quickstart.cpp uses them, and
// examples/rest_server.cpp serves them over HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <relata/relata.hpp>

struct Order;
struct Address;
struct Doctor;
struct Appointment;
struct Tag;

struct Customer {
  RELATA_MODEL(Customer,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (std::optional<std::int64_t>, age),
               (std::vector<std::int64_t>, tag_ids),
               (relata::has_many<Order>, orders),      // Order::customer_id, inferred
               (relata::has_one<Address>, address),    // Address::customer_id, inferred
               (relata::references_many<Tag>, tags));  // this->tag_ids, inferred
};

struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (std::string, description),
               (double, total),
               (std::int64_t, customer_id),
               (relata::belongs_to<Customer>, customer));  // key_from customer_id, inferred
};

struct Address {
  RELATA_MODEL(Address,
               (relata::id<std::int64_t>, id),
               (std::string, street),
               (std::int64_t, customer_id));
};

struct Tag {
  RELATA_MODEL(Tag, (relata::id<std::int64_t>, id), (std::string, label));
};

struct Patient {
  RELATA_MODEL(Patient,
               (relata::id<std::int64_t>, id),
               (std::string, name),
               (relata::has_many<Doctor, relata::through<Appointment>>, doctors));
};

struct Doctor {
  RELATA_MODEL(Doctor, (relata::id<std::int64_t>, id), (std::string, name));
};

/// The link model of Patient.doctors, with a property of its own.
struct Appointment {
  RELATA_MODEL(Appointment,
               (relata::id<std::int64_t>, id),
               (std::int64_t, patient_id),
               (std::int64_t, doctor_id),
               (std::string, reason));
};
