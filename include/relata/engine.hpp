// relata/engine.hpp: compiles relata's engine in this translation unit.
//
// Only for programs built with RELATA_SEPARATE_COMPILATION (see detail/config.hpp): include
// this first in exactly one .cpp, followed by the connector headers the program uses:
//
//     // relata_engine.cpp
//     #include <relata/engine.hpp>
//     #include <relata/sqlite.hpp>
#pragma once

#if !defined(RELATA_SEPARATE_COMPILATION)
#error "relata/engine.hpp is for programs built with RELATA_SEPARATE_COMPILATION"
#endif
#if defined(RELATA_DEFINE_ENGINE)
#error "include relata/engine.hpp before any other relata header"
#endif

#define RELATA_ENGINE 1
#include <relata/relata.hpp>
