// The LoopBack 4 side of the REST benchmark (run.sh starts it): @loopback/rest serving the
// quickstart's Customer and Order from the tables relata's example server made, on the same
// PostgreSQL database, with the three routes the benchmark measures, as LoopBack 4's CRUD and
// hasMany relation controllers define them:
//
//   GET  /customers?filter=...           customerRepository.find(filter)
//   GET  /customers/{id}/orders          customerRepository.orders(id).find(filter)
//   POST /customers/{id}/orders          customerRepository.orders(id).create(body)
//
// The routes are registered with RestApplication.route(verb, path, spec, handler), which is
// what a decorated controller method becomes: the same routing, parameter parsing and
// coercion, body validation (AJV) and JSON writing, without a TypeScript build step.
// Customer's tag_ids array is not mapped (LoopBack reads three of its four columns).
//
//   node loopback_app.js CONNINFO     (NODE_PATH: LoopBack's node_modules)
// Prints "listening on http://127.0.0.1:PORT" once it accepts connections.
'use strict';

const {RestApplication} = require('@loopback/rest');
const {
  juggler,
  Entity,
  ModelDefinition,
  DefaultCrudRepository,
  RelationType,
} = require('@loopback/repository');
const {settingsOf, connectorPg} = require('../support/loopback_postgres');

const conninfo = process.argv[2] || '';

connectorPg(); // bigint keys as numbers (see ../support/loopback_postgres.js)

function model(name, properties, relations = {}) {
  const M = {[name]: class extends Entity {}}[name];
  M.definition = new ModelDefinition({
    name,
    properties,
    settings: {postgresql: {schema: 'public', table: name}, strict: true},
    relations,
  });
  return M;
}

const id = {type: 'number', id: true, generated: true};
const Order = model('Order', {
  id,
  description: {type: 'string', required: true},
  total: {type: 'number', required: true},
  customer_id: {type: 'number'},
});
const Customer = model(
  'Customer',
  {id, name: {type: 'string', required: true}, age: {type: 'number'}},
  {
    orders: {
      type: RelationType.hasMany,
      name: 'orders',
      targetsMany: true,
      target: () => Order,
      keyTo: 'customer_id',
      source: undefined,
    },
  },
);
Customer.definition.relations.orders.source = Customer;

const dataSource = new juggler.DataSource({
  name: 'db',
  connector: require('loopback-connector-postgresql'),
  max: 8,
  ...settingsOf(conninfo),
});
const orders = new DefaultCrudRepository(Order, dataSource);
const customers = new DefaultCrudRepository(Customer, dataSource);
customers.orders = customers.createHasManyRepositoryFactoryFor('orders', async () => orders);
customers.registerInclusionResolver('orders', customers.orders.inclusionResolver);

const filterParameter = {
  name: 'filter',
  in: 'query',
  content: {'application/json': {schema: {type: 'object', additionalProperties: true}}},
};
const idParameter = {name: 'id', in: 'path', required: true, schema: {type: 'number'}};
const ok = {200: {description: 'ok', content: {'application/json': {schema: {}}}}};
const newOrder = {
  type: 'object',
  properties: {description: {type: 'string'}, total: {type: 'number'}},
  required: ['description', 'total'],
  additionalProperties: false,
};

async function main() {
  const app = new RestApplication({rest: {host: '127.0.0.1', port: 0, openApiSpec: {}}});
  app.route(
    'get',
    '/customers',
    {'x-operation-name': 'find', parameters: [filterParameter], responses: ok},
    filter => customers.find(filter),
  );
  app.route(
    'get',
    '/customers/{id}/orders',
    {'x-operation-name': 'findOrders', parameters: [idParameter, filterParameter], responses: ok},
    (customerId, filter) => customers.orders(customerId).find(filter),
  );
  app.route(
    'post',
    '/customers/{id}/orders',
    {
      'x-operation-name': 'createOrder',
      parameters: [idParameter],
      // the body is the handler's second argument (LoopBack puts it first unless told)
      requestBody: {
        required: true,
        content: {'application/json': {schema: newOrder}},
        'x-parameter-index': 1,
      },
      responses: ok,
    },
    (customerId, body) => customers.orders(customerId).create(body),
  );
  await app.start();
  console.log(`listening on ${app.restServer.url}`);
  const stop = () => app.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
