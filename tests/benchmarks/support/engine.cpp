// relata's engine, compiled once for the benchmark programs (RELATA_SEPARATE_COMPILATION).
#include <relata/engine.hpp>
#include <relata/sqlite.hpp>
#if defined(RELATA_BENCH_POSTGRES)
#include <relata/postgres.hpp>
#endif
