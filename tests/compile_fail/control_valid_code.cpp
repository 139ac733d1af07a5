// expect: relata: [a-z]
//
// The control: valid uses of everything the other cases get wrong. It must compile, and the
// harness must reject it (a case that compiles fails its compile-fail test): with the pattern
// above, any relata diagnostic would have matched.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <relata/changes.hpp>
#include <relata/repository.hpp>

struct Order;
struct Account;
struct Doctor;
struct Appointment;
struct Note;

struct Customer {
  RELATA_MODEL(
      Customer,
      (relata::id<std::int64_t>, id),
      (std::string, name),
      (std::optional<std::int64_t>, age),
      (bool, active),
      (std::vector<std::int64_t>, account_ids),
      (relata::has_many<Order, relata::on_delete<relata::delete_rule::cascade>>, orders),
      (relata::has_many<Doctor, relata::through<Appointment>>, doctors),
      (relata::references_many<Account>, accounts),
      (relata::has_many<Note, relata::on_delete<relata::delete_rule::set_null>>, notes),
      (relata::has_and_belongs_to_many<Account, relata::on_delete<relata::delete_rule::cascade>>,
       shared_accounts));
  using relata_options =
      relata::options<relata::table<"customers">, relata::column<&Customer::name, "Name">>;
};
struct Order {
  RELATA_MODEL(Order,
               (relata::id<std::int64_t>, id),
               (double, total),
               (std::int64_t, customer_id),
               (relata::belongs_to<Customer>, customer));
};
struct Account {
  RELATA_MODEL(Account, (relata::id<std::int64_t>, id));
};
struct Doctor {  // a text id: a hasManyThrough's source and target ids never meet
  RELATA_MODEL(Doctor, (relata::id<std::string>, id));
};
struct Appointment {
  RELATA_MODEL(Appointment,
               (relata::id<std::int64_t>, id),
               (std::int64_t, customer_id),
               (std::string, doctor_id));
};
struct Note {
  RELATA_MODEL(Note, (relata::id<std::int64_t>, id), (std::optional<std::int64_t>, customer_id));
};
struct LogLine {
  RELATA_MODEL(LogLine, (std::string, text));
};

std::size_t use(relata::datasource& db) {
  using relata::col;
  relata::repository<Customer> customers{db};
  relata::repository<Order> orders{db};
  relata::repository<LogLine> log{db};
  const auto w = col(&Customer::name) == "Ada" && col(&Customer::age) >= 18 &&
                 col(&Customer::active) == true && col(&Customer::name).like("A%") &&
                 col(&Customer::account_ids).is_null() &&
                 relata::some(&Customer::orders, col(&Order::total) > 2);
  const relata::changes<Customer> c{{&Customer::age, std::nullopt}, {&Customer::name, "Bo"}};
  customers.update_all(c, w);
  orders.update_all({{&Order::total, 2}});
  return customers.find_by_id(1).name.size() + customers.orders(std::int64_t{1}).find().size() +
         customers.doctors(1).find().size() + customers.accounts(1).count() +
         customers.shared_accounts(1).count() + customers.notes(1).count() +
         static_cast<std::size_t>(orders.customer(1).has_value()) + log.find().size();
}

int main() { return 0; }
