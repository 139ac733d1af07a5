// Runs the LoopBack 4 comparison (run.sh starts it; see there): the relata side
// (bench_loopback_relata) and the LoopBack side (loopback_side.js) as two processes on one
// server and the same data, each workload on one side then the other, the side that goes first
// alternating by round, after one warm-up round that is not counted. Prints, per workload, the
// relata / LoopBack time ratio (least, median, greatest of the rounds), the statements each
// side sent, and whether both returned the same data. Node's built-in modules only.
//
//   node compare.js --relata=BIN --conninfo=CONNINFO [--customers=10000] [--rounds=5]
//                   [--create-all-chunk=N]      (NODE_PATH: LoopBack's node_modules)
'use strict';

const {spawn} = require('child_process');
const os = require('os');
const path = require('path');
const readline = require('readline');

const option = (name, fallback) => {
  const found = process.argv.find(a => a.startsWith(`--${name}=`));
  return found ? found.slice(name.length + 3) : fallback;
};
const relataProgram = option('relata');
const conninfo = option('conninfo');
const customers = Number(option('customers', '10000'));
const rounds = Number(option('rounds', '5'));
const createAllChunk = option('create-all-chunk', '250');

const workloads = [
  ['include', `include orders (${customers} customers x 10)`],
  ['nested_include', `nested include orders.items (x 10 x 5)`],
  ['scope_limit', 'include orders, limit 2 per customer'],
  ['find_by_id', `findById x ${customers}`],
  ['create_all', `createAll ${customers * 10} orders, one transaction`],
  ['create_all_raw', '  the same by raw libpq binary COPY'],
  ['update_all', `updateAll ${customers * 3} orders`],
  ['relation_filter', 'filter by a related model (some order)'],
];
const writes = new Set(['create_all', 'create_all_raw', 'update_all']);
// Rows whose relata side is not relata: LoopBack runs its own workload against it.
const loopbackRuns = {create_all_raw: 'create_all'};

const notes = {
  create_all:
    `LoopBack: createAll in chunks of ${createAllChunk} rows, its fastest (see ` +
    'loopback_side.js); relata: one create_all call.',
  create_all_raw:
    'not relata: hand-written libpq, one binary COPY in a transaction, the ids not read back, ' +
    "against LoopBack's createAll in the same round: the floor any client meets on this server " +
    '(its foreign-key check and two index entries per order).',
  relation_filter:
    "LoopBack cannot express it (its where cannot name a related model): its side finds the " +
    'orders, then the customers among their owners; relata: one query (relata::some, EXISTS).',
};

/** A side: a child process answering one JSON line per command line. */
class Side {
  constructor(name, command, args) {
    this.name = name;
    this.pending = [];
    this.child = spawn(command, args, {stdio: ['pipe', 'pipe', 'inherit']});
    readline.createInterface({input: this.child.stdout}).on('line', line => {
      const reply = this.pending.shift();
      if (!reply) return;
      try {
        reply(JSON.parse(line));
      } catch (e) {
        reply({error: `not JSON: ${line}`});
      }
    });
    this.child.on('exit', code => {
      for (const reply of this.pending.splice(0)) reply({error: `${name} exited (${code})`});
    });
  }
  ask(command) {
    return new Promise(resolve => {
      this.pending.push(resolve);
      this.child.stdin.write(command + '\n');
    });
  }
  quit() {
    this.child.stdin.end('quit\n');
  }
}

const relata = new Side('relata', relataProgram, [conninfo, `--customers=${customers}`]);
const loopback = new Side('LoopBack', process.execPath, [
  path.join(__dirname, 'loopback_side.js'),
  conninfo,
  `--create-all-chunk=${createAllChunk}`,
]);

/** One workload on one side: its answer, plus the statements the server counted for it. */
async function measure(side, workload) {
  const run = side === loopback ? loopbackRuns[workload] || workload : workload;
  await relata.ask('stats_reset');
  const answer = await side.ask(`run ${run}`);
  answer.statements = (await relata.ask('stats_read')).statements;
  if (writes.has(run)) {
    const reset = await relata.ask(`reset ${run}`);
    if (reset.error) throw new Error(`reset ${run}: ${reset.error}`);
  }
  return answer;
}

const median = values => {
  const v = [...values].sort((a, b) => a - b);
  const k = v.length;
  return k % 2 ? v[(k - 1) / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
};
const spread = values => {
  const v = [...values].sort((a, b) => a - b);
  return {min: v[0], median: median(v), max: v[v.length - 1]};
};
const sameDigest = (a, b) =>
  ['rows', 'nested', 'nested_twice', 'id_sum'].every(k => a && b && a[k] === b[k]);
const fixed = (x, digits = 2) => (x === undefined ? '-' : x.toFixed(digits));
const load = () =>
  os
    .loadavg()
    .map(x => x.toFixed(2))
    .join(' ');
const version = name => {
  try {
    return require(`${name}/package.json`).version;
  } catch (e) {
    return '?';
  }
};

async function main() {
  const setup = await relata.ask('setup');
  if (setup.error) throw new Error(`setup: ${setup.error}`);

  const loadBefore = load();
  const results = {};
  const warmUpErrors = [];
  for (const [w] of workloads) results[w] = {relata: [], loopback: []};
  for (let round = 0; round <= rounds; round++) {
    const warmUp = round === 0;
    for (const [w] of workloads) {
      const order = round % 2 ? [relata, loopback] : [loopback, relata];
      for (const side of order) {
        const answer = await measure(side, w);
        const key = side === relata ? 'relata' : 'loopback';
        if (!warmUp) results[w][key].push(answer);
        else if (answer.error) warmUpErrors.push({w, key, error: answer.error});
      }
    }
    process.stderr.write(warmUp ? 'warm-up round done\n' : `round ${round} of ${rounds} done\n`);
  }
  const loadAfter = load();
  relata.quit();
  loopback.quit();

  console.log(
    `relata vs LoopBack 4 (@loopback/repository ${version('@loopback/repository')}, ` +
      `loopback-connector-postgresql ${version('loopback-connector-postgresql')}, ` +
      `pg ${version('pg')}, Node ${process.version}) on one PostgreSQL server, ` +
      `${customers} customers x 10 orders x 5 items`,
  );
  console.log(
    `${rounds} rounds after a warm-up round, the two sides one after the other for each ` +
      'workload, the first side alternating by round',
  );
  console.log(`load average (1, 5, 15 min): ${loadBefore} before, ${loadAfter} after\n`);

  const header = [
    'workload'.padEnd(42),
    'relata ms'.padStart(10),
    'LoopBack ms'.padStart(12),
    '  relata / LoopBack min  median   max',
    '  speed-up',
    '  statements:    relata      LoopBack',
    '  same data',
  ].join('');
  console.log(header);
  // Failures of the warm-up round that the counted rounds do not show.
  const problems = warmUpErrors
    .filter(({w, key}) => !results[w][key].some(a => a.error))
    .map(({w, key, error}) => `warm-up round: ${w} failed on ${key}: ${error}`);
  for (const [w, label] of workloads) {
    const r = results[w].relata;
    const l = results[w].loopback;
    const rError = r.find(a => a.error);
    const lError = l.find(a => a.error);
    if (rError) problems.push(`${label}: relata failed: ${rError.error}`);
    if (lError) problems.push(`${label}: LoopBack cannot run it: ${lError.error}`);
    const rMs = r.filter(a => !a.error).map(a => a.ms);
    const lMs = l.filter(a => !a.error).map(a => a.ms);
    const paired = [];
    for (let i = 0; i < Math.min(r.length, l.length); i++) {
      if (!r[i].error && !l[i].error) paired.push(r[i].ms / l[i].ms);
    }
    const ratio = paired.length ? spread(paired) : {};
    const statements = answers =>
      answers.length
        ? `${answers[answers.length - 1].queries}/${answers[answers.length - 1].statements}`
        : '-';
    let same = '-';
    if (r.length && l.length && !rError && !lError) {
      same = r.every((a, i) => sameDigest(a.digest, l[i].digest))
        ? 'yes'
        : 'NO';
      if (same === 'NO') {
        problems.push(
          `${label}: different data: relata ${JSON.stringify(r[0].digest)}, ` +
            `LoopBack ${JSON.stringify(l[0].digest)}`,
        );
      }
    }
    console.log(
      [
        label.padEnd(42),
        (rMs.length ? fixed(median(rMs), 1) : '-').padStart(10),
        (lError ? 'fails' : lMs.length ? fixed(median(lMs), 1) : '-').padStart(12),
        `${fixed(ratio.min).padStart(24)}${fixed(ratio.median).padStart(8)}` +
          `${fixed(ratio.max).padStart(6)}`,
        (ratio.median ? `${fixed(1 / ratio.median, 1)}x` : '-').padStart(10),
        statements(r).padStart(24),
        (lError && !l.some(a => !a.error) ? 'fails' : statements(l)).padStart(14),
        same.padStart(11),
      ].join(''),
    );
  }
  console.log(
    '\nrelata / LoopBack: time ratios of the rounds (below 1: relata is faster); speed-up: ' +
      'LoopBack / relata at the median ratio.\nstatements: counted by the client / by the ' +
      "server (pg_stat_statements, calls, BEGIN and COMMIT included) for the last round; the " +
      "client counts are relata's observe() hook and every query() call of LoopBack's pg " +
      'driver.',
  );
  for (const [w, label] of workloads) {
    if (notes[w]) console.log(`${label}: ${notes[w]}`);
  }
  for (const p of problems) console.log(p);
}

main().catch(e => {
  console.error(e);
  relata.quit();
  loopback.quit();
  process.exit(1);
});
