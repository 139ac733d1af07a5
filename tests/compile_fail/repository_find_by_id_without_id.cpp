// expect-gcc: check_model_has_id<LogLine, false>
// expect: relata: this operation needs the model to have a relata::id member
//
// find_by_id on a model without an id.
#include <string>

#include <relata/repository.hpp>

struct LogLine {
  RELATA_MODEL(LogLine, (std::string, text));
};

int lines(relata::datasource& db) {
  relata::repository<LogLine> log{db};
  return static_cast<int>(log.find_by_id(1).text.size());
}

int main() { return 0; }
