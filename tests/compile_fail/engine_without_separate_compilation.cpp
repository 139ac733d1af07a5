// expect: relata/engine.hpp is for programs built with RELATA_SEPARATE_COMPILATION
//
// engine.hpp in a header-only program.
#include <relata/engine.hpp>

int main() { return 0; }
