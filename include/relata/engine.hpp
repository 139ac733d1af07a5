// relata/engine.hpp: compiles relata's engine in this translation unit.
//
// Only for programs built with RELATA_SEPARATE_COMPILATION (see detail/config.hpp) that do not
// use the CMake targets, which compile the engine themselves. Include this first in exactly
// one .cpp, followed by the connector headers the program uses:
//
//     // relata_engine.cpp
//     #include <relata/engine.hpp>
//     #include <relata/sqlite.hpp>
//
// It compiles the core, the memory connector and the shared SQL-connector base; each connector
// header after it compiles that connector.
#pragma once

#if !defined(RELATA_SEPARATE_COMPILATION)
#error "relata/engine.hpp is for programs built with RELATA_SEPARATE_COMPILATION"
#endif
#if defined(RELATA_DEFINE_ENGINE)
#error "include relata/engine.hpp before any other relata header"
#endif

#define RELATA_ENGINE 1
#include <relata/json.hpp>
#include <relata/memory.hpp>
#include <relata/relata.hpp>
#include <relata/relation/embeds_many.hpp>
#include <relata/relation/embeds_one.hpp>
#include <relata/sql/database.hpp>
#include <relata/sql/pool.hpp>

namespace relata::detail {
// What every unit compiled against the declarations refers to (detail/config.hpp).
extern const int engine_missing_link_relata_relata_or_compile_relata_engine_hpp_once = 1;
}  // namespace relata::detail
