// How relata's engine is compiled.
//
// relata is header-only: by default every translation unit that includes a header also
// compiles the engine code behind it (connectors, SQL generation, the include resolver, the
// JSON filter parser), as inline functions.
//
// With RELATA_SEPARATE_COMPILATION defined for the whole program, headers only declare the
// engine, and it is compiled once, in three parts: the core (everything that needs no database
// library, the memory connector and the shared SQL-connector base included), SQLite's connector
// and PostgreSQL's. The CMake targets relata::relata, relata::sqlite and relata::postgres build
// each part as a library of their own (a program that uses only the memory connector links
// neither SQLite nor libpq). Without CMake, one translation unit compiles them all: it includes
// <relata/engine.hpp> first, then the connector headers the program uses. Every other
// translation unit then pays only for declarations and for the templates of its models.
//
// Engine functions are declared plainly and defined below their declarations, in each header's
// `#if RELATA_DEFINE_ENGINE` section, with RELATA_ENGINE_INLINE: `inline` in header-only mode,
// nothing otherwise.
#pragma once

#if defined(RELATA_SEPARATE_COMPILATION) && !defined(RELATA_ENGINE)
#define RELATA_DEFINE_ENGINE 0
#else
#define RELATA_DEFINE_ENGINE 1
#endif

#if defined(RELATA_SEPARATE_COMPILATION)
#define RELATA_ENGINE_INLINE
#else
#define RELATA_ENGINE_INLINE inline
#endif

#if !RELATA_DEFINE_ENGINE
namespace relata::detail {
/// Defined by the engine's core. A link error naming it means the program was built with
/// RELATA_SEPARATE_COMPILATION but without the engine: link relata::relata (CMake), or compile
/// <relata/engine.hpp> in one translation unit (see README, "Header-only, or the engine
/// compiled once").
extern const int engine_missing_link_relata_relata_or_compile_relata_engine_hpp_once;
/// Every unit compiled against the declarations refers to it, so that a missing engine is
/// named by this one symbol, whatever else is missing.
[[gnu::used]] inline const int* const engine_reference =
    &engine_missing_link_relata_relata_or_compile_relata_engine_hpp_once;
}  // namespace relata::detail
#endif
