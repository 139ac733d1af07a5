// How relata's engine is compiled.
//
// relata is header-only: by default every translation unit that includes a header also
// compiles the engine code behind it (connectors, SQL generation, the inclusion resolver,
// the JSON filter parser), as inline functions.
//
// With RELATA_SEPARATE_COMPILATION defined for the whole program, headers only declare the
// engine, and exactly one translation unit compiles it, by including <relata/engine.hpp>
// first and then the connector headers the program uses. Every other translation unit then
// pays only for declarations and for the templates of the models it uses.
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
