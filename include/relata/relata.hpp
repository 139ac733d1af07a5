// relata/relata.hpp: the core of relata, without any database connector.
//
// Add a connector: <relata/sqlite.hpp>, <relata/postgres.hpp>, or <relata/memory.hpp>.
// Embedded documents are their own headers, <relata/relation/embeds_one.hpp> and
// <relata/relation/embeds_many.hpp>: their filters run the in-memory connector's evaluator,
// which a header-only program that uses none should not compile.
#pragma once

#include <relata/changes.hpp>
#include <relata/connector.hpp>
#include <relata/entities.hpp>
#include <relata/errors.hpp>
#include <relata/extern_model.hpp>
#include <relata/filter.hpp>
#include <relata/filter_json.hpp>
#include <relata/json_text.hpp>
#include <relata/migrate.hpp>
#include <relata/model.hpp>
#include <relata/query.hpp>
#include <relata/relations.hpp>
#include <relata/repository.hpp>
#include <relata/schema.hpp>
#include <relata/value.hpp>

/// The version of this relata.
#define RELATA_VERSION_MAJOR 0
#define RELATA_VERSION_MINOR 1
#define RELATA_VERSION_PATCH 0
