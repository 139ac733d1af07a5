// expect: include relata/engine.hpp before any other relata header
//
// engine.hpp after another relata header: that header has only declared the engine.
#define RELATA_SEPARATE_COMPILATION 1
#include <relata/value.hpp>
//
#include <relata/engine.hpp>

int main() { return 0; }
