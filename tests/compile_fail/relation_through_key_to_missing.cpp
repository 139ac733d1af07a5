// expect-gcc: check_through_key_to_exists<Patient, [^,]*"doctors"}, Appointment,
// expect-gcc: "physician_id"}, false>
// expect: relata: the through model has no property referring to the target model
//
// through_key_to names a property the link model does not have.
#include <cstdint>

#include <relata/relations.hpp>

struct Doctor;
struct Appointment;
struct Patient {
  RELATA_MODEL(Patient,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Doctor,
                                 relata::through<Appointment>,
                                 relata::through_key_to<"physician_id">>,
                doctors));
};
struct Doctor {
  RELATA_MODEL(Doctor, (relata::id<std::int64_t>, id));
};
struct Appointment {
  RELATA_MODEL(Appointment,
               (relata::id<std::int64_t>, id),
               (std::int64_t, patient_id),
               (std::int64_t, doctor_id));
};

int main() { return static_cast<int>(relata::definition_of<Patient>().relations.size()); }
