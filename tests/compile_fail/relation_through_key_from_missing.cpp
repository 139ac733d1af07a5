// expect-gcc: check_through_key_from_exists<Patient, [^,]*"doctors"}, Appointment,
// expect-gcc: "patient_id"}, false>
// expect: relata: the through model has no property referring to the source model
//
// The link model lacks the inferred Appointment::patient_id.
#include <cstdint>

#include <relata/relations.hpp>

struct Doctor;
struct Appointment;
struct Patient {
  RELATA_MODEL(Patient,
               (relata::id<std::int64_t>, id),
               (relata::has_many<Doctor, relata::through<Appointment>>, doctors));
};
struct Doctor {
  RELATA_MODEL(Doctor, (relata::id<std::int64_t>, id));
};
struct Appointment {
  RELATA_MODEL(Appointment,
               (relata::id<std::int64_t>, id),
               (std::int64_t, client_id),
               (std::int64_t, doctor_id));
};

int main() { return static_cast<int>(relata::definition_of<Patient>().relations.size()); }
