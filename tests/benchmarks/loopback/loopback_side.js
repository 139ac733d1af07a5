// The LoopBack 4 side of the comparison (run.sh starts it; see there): @loopback/repository's
// DefaultTransactionalRepository on loopback-connector-postgresql, with the models of
// tests/benchmarks/support/models.hpp mapped onto the tables relata made (schema
// relata_loopback). It runs one workload per command read from standard input and answers with
// one JSON line, as relata_side.cpp does:
//
//   run WORKLOAD   {"ms", "queries", "digest"} or {"error"}
//   quit
//
// Queries are counted where they leave the process: every call of the pg driver's
// Client.prototype.query, which is how the connector sends each statement, BEGIN and COMMIT
// included. compare.js also counts both sides on the server (pg_stat_statements).
//
//   node loopback_side.js CONNINFO [--create-all-chunk=N]   (NODE_PATH: LoopBack's node_modules)
'use strict';

const readline = require('readline');
const {
  juggler,
  Entity,
  ModelDefinition,
  DefaultTransactionalRepository,
  IsolationLevel,
  RelationType,
} = require('@loopback/repository');
const {settingsOf, connectorPg} = require('../support/loopback_postgres');

const schema = 'relata_loopback';

// --- arguments -------------------------------------------------------------------------------

const args = process.argv.slice(2);
const conninfo = args.find(a => !a.startsWith('--'));
const option = (name, fallback) => {
  const found = args.find(a => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
// Rows per createAll call (see create_all below).
const createAllChunk = option('create-all-chunk', 250);

// --- counting the statements sent ------------------------------------------------------------

// The pg module the connector itself loads, wrapped before any connection exists.
const pg = connectorPg();

let queries = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (...queryArgs) {
  queries++;
  return query.apply(this, queryArgs);
};

// --- models: the tables of support/models.hpp, as relata migrated them -----------------------

function model(name, properties, relations = {}) {
  const M = {[name]: class extends Entity {}}[name];
  M.definition = new ModelDefinition({
    name,
    properties,
    settings: {postgresql: {schema, table: name}},
    relations,
  });
  return M;
}

const id = {type: 'number', id: true, generated: true};
const Item = model('Item', {
  id,
  order_id: {type: 'number'},
  sku: {type: 'string'},
  price: {type: 'number'},
});
const Order = model(
  'Order',
  {id, customer_id: {type: 'number'}, description: {type: 'string'}, total: {type: 'number'}},
  {
    items: {
      type: RelationType.hasMany,
      name: 'items',
      targetsMany: true,
      target: () => Item,
      keyTo: 'order_id',
    },
  },
);
Order.definition.relations.items.source = Order;
const Customer = model(
  'Customer',
  {id, name: {type: 'string'}, email: {type: 'string'}, balance: {type: 'number'}},
  {
    orders: {
      type: RelationType.hasMany,
      name: 'orders',
      targetsMany: true,
      target: () => Order,
      keyTo: 'customer_id',
    },
  },
);
Customer.definition.relations.orders.source = Customer;

const dataSource = new juggler.DataSource({
  name: 'db',
  connector: require('loopback-connector-postgresql'),
  ...settingsOf(conninfo || ''),
});

const items = new DefaultTransactionalRepository(Item, dataSource);
const orders = new DefaultTransactionalRepository(Order, dataSource);
const customers = new DefaultTransactionalRepository(Customer, dataSource);
orders.items = orders.createHasManyRepositoryFactoryFor('items', async () => items);
orders.registerInclusionResolver('items', orders.items.inclusionResolver);
customers.orders = customers.createHasManyRepositoryFactoryFor('orders', async () => orders);
customers.registerInclusionResolver('orders', customers.orders.inclusionResolver);

// --- workloads: the same as relata_side.cpp's --------------------------------------------------

/** The digest relata_side.cpp computes: rows per level, and the sum of the deepest ids. */
function digestOf(found) {
  const d = {rows: found.length, nested: 0, nested_twice: 0, id_sum: 0};
  for (const c of found) {
    if (!c.orders) {
      d.id_sum += Number(c.id);
      continue;
    }
    d.nested += c.orders.length;
    for (const o of c.orders) {
      if (!o.items) {
        d.id_sum += Number(o.id);
        continue;
      }
      d.nested_twice += o.items.length;
      for (const i of o.items) d.id_sum += Number(i.id);
    }
  }
  return d;
}

const empty = () => ({rows: 0, nested: 0, nested_twice: 0, id_sum: 0});

let customerCount = 0; // read once: workloads need the number of customers

const workloads = {
  include: async () => digestOf(await customers.find({include: ['orders']})),

  nested_include: async () =>
    digestOf(
      await customers.find({include: [{relation: 'orders', scope: {include: ['items']}}]}),
    ),

  scope_limit: async () =>
    digestOf(
      await customers.find({
        include: [{relation: 'orders', scope: {order: ['id DESC'], limit: 2}}],
      }),
    ),

  find_by_id: async () => {
    const d = empty();
    for (let i = 1; i <= customerCount; i++) {
      const c = await customers.findById(i);
      d.rows++;
      d.id_sum += Number(c.id);
    }
    return d;
  },

  // The rows go in chunks of --create-all-chunk rows, all in one transaction: the connector
  // puts all the rows of a call in one INSERT, and builds its text in time that grows faster
  // than the rows (100k rows on this machine: 5.5 s in chunks of 250 or 500, 8 s in chunks of
  // 1000, 20 s of 10000, 40 s of 21845). One call with all 100k rows (300k bind parameters)
  // fails after minutes: the protocol counts a statement's parameters in 16 bits ("bind
  // message has 37856 parameter formats but 0 parameters").
  create_all: async () => {
    const total = customerCount * 10;
    const data = [];
    for (let i = 0; i < total; i++) {
      const customer = (i % customerCount) + 1;
      const j = 10 + Math.floor(i / customerCount);
      data.push({
        customer_id: customer,
        description: `order ${j} of customer ${customer}`,
        total: j * 3.25,
      });
    }
    const d = empty();
    const started = process.hrtime.bigint();
    const tx = await orders.beginTransaction(IsolationLevel.READ_COMMITTED);
    for (let first = 0; first < data.length; first += createAllChunk) {
      const created = await orders.createAll(data.slice(first, first + createAllChunk), {
        transaction: tx,
      });
      d.rows += created.length;
    }
    await tx.commit();
    d.ms = Number(process.hrtime.bigint() - started) / 1e6; // the data is made before the clock
    return d;
  },

  update_all: async () => {
    const d = empty();
    d.rows = (await orders.updateAll({description: 'updated'}, {total: {gte: 20}})).count;
    return d;
  },

  // LoopBack's where cannot name a related model (relata::some): a LoopBack user finds the
  // orders first, then the customers among their owners.
  relation_filter: async () => {
    const big = await orders.find({where: {total: {gte: 29}}, fields: {customer_id: true}});
    const owners = [...new Set(big.map(o => o.customer_id))];
    return digestOf(await customers.find({where: {balance: {lt: 500}, id: {inq: owners}}}));
  },
};

async function run(name) {
  const workload = workloads[name];
  if (!workload) return {error: `no workload ${name}`};
  if (!customerCount) customerCount = (await customers.count()).count;
  queries = 0;
  const started = process.hrtime.bigint();
  try {
    const digest = await workload();
    let ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (digest.ms !== undefined) {
      ms = digest.ms;
      delete digest.ms;
    }
    return {ms, queries, digest};
  } catch (e) {
    return {error: String(e.message || e).split('\n')[0], queries};
  }
}

async function main() {
  const lines = readline.createInterface({input: process.stdin});
  for await (const line of lines) {
    const [command, argument] = line.trim().split(/\s+/);
    if (command === 'quit') break;
    const answer = command === 'run' ? await run(argument) : {error: `unknown command: ${line}`};
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
  await dataSource.disconnect();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
