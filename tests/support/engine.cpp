// relata's engine, compiled once for every test program (RELATA_SEPARATE_COMPILATION).
#include <relata/engine.hpp>
#include <relata/memory.hpp>
#include <relata/rest.hpp>
#include <relata/sqlite.hpp>
#if defined(RELATA_TEST_POSTGRES)
#include <relata/postgres.hpp>
#endif
