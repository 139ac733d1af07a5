// expect-gcc: check_composite_id_is_supplied<Enrolment, false>
// expect: relata: the parts of a composite id are supplied by the caller
//
// A composite id whose part asks for database generation.
#include <cstdint>

#include <relata/relations.hpp>

struct Enrolment {
  RELATA_MODEL(Enrolment,
               (relata::id<std::int64_t, relata::id_generation::database>, student_id),
               (relata::id<std::int64_t>, course_id));
};

int main() { return static_cast<int>(relata::definition_of<Enrolment>().properties.size()); }
