// What the LoopBack 4 sides of relata's benchmarks (loopback/, rest/) share about PostgreSQL.
'use strict';

const path = require('path');

/** A libpq key=value connection string as pg's settings (host may be a socket directory). */
function settingsOf(text) {
  const settings = {};
  for (const [, key, value] of text.matchAll(/(\w+)\s*=\s*'?([^'\s]*)'?/g)) settings[key] = value;
  return {
    host: settings.host,
    port: settings.port ? Number(settings.port) : 5432,
    user: settings.user,
    database: settings.dbname,
  };
}

/**
 * The pg module loopback-connector-postgresql itself loads (to be changed before any connection
 * exists), with bigint (int8) parsed as numbers: relata's tables have bigint keys, which pg
 * returns as strings, and LoopBack converts them neither for a number property nor when it
 * matches an include's rows to their parents, so an include of orders finds none. Applications
 * with bigint keys parse int8 as numbers.
 */
function connectorPg() {
  const pg = require(require.resolve('pg', {
    paths: [path.dirname(require.resolve('loopback-connector-postgresql'))],
  }));
  pg.types.setTypeParser(20, Number);
  return pg;
}

module.exports = {settingsOf, connectorPg};
