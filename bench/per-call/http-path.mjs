// Server CPU per request of the framework's own HTTP path against the bare peers: raw node:http,
// fastify, koa + router, and kratos-ts' plain @Get (built-ins off), proto route (built-ins off) and
// proto route (defaults), GET /helloworld/{name} under wrk, server on core 1, cases interleaved
// round by round, medians. With KRATOS_BEFORE=<another checkout, its dist built> the kratos-ts cases
// also run against that build's bench/servers/kratos.mjs, in the same rounds.
//   node bench/per-call/http-path.mjs        (HTTP_PATH_SECONDS=4, HTTP_PATH_ROUNDS=5, HTTP_PATH_ONLY=regex of labels,
//   e.g. HTTP_PATH_ONLY='fastify|plain @Get, built-ins off( \(before\))?$')
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMicros, httpLoad, startServer, stopServer } from '../lib/load.mjs';

const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));
const SECONDS = Number(process.env.HTTP_PATH_SECONDS ?? 4);
const ROUNDS = Number(process.env.HTTP_PATH_ROUNDS ?? 5);
const BEFORE = process.env.KRATOS_BEFORE;
const ONLY = process.env.HTTP_PATH_ONLY === undefined ? undefined : new RegExp(process.env.HTTP_PATH_ONLY);

const cases = [
  ['raw node:http', [join(SERVERS, 'http-raw.mjs')]],
  ['fastify 5', [join(SERVERS, 'http-fastify.mjs')]],
  ['koa 3 + @koa/router', [join(SERVERS, 'http-koa.mjs')]],
];
// Built-ins off includes the ambient context (issue 19); the plain route with it on is measured beside.
for (const [label, variant, compared] of [['plain @Get, built-ins off', 'http-plain', true], ['plain @Get, built-ins off, ambient context on', 'http-plain-ambient', false], ['proto route, built-ins off', 'http-proto-bare', true], ['proto route, defaults', 'http-proto', true]]) {
  cases.push([`kratos-ts ${label}`, [join(SERVERS, 'kratos.mjs'), variant]]);
  if (BEFORE !== undefined && compared) cases.push([`kratos-ts ${label} (before)`, [join(BEFORE, 'bench', 'servers', 'kratos.mjs'), variant]]);
}

if (ONLY !== undefined) cases.splice(0, cases.length, ...cases.filter(([label]) => ONLY.test(label)));
const results = new Map(cases.map(([label]) => [label, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, args] of cases) {
    const proc = await startServer(['node', ...args], '1', 'http');
    try {
      await httpLoad(1);
      const t0 = cpuMicros(proc.pid);
      const r = await httpLoad(SECONDS);
      if (r.count > 0) results.get(label).push((cpuMicros(proc.pid) - t0) / r.count);
      process.stderr.write(`round ${round + 1} ${label}: ${r.rate.toFixed(0)}/s ${r.errors > 0 ? `errors ${r.errors}` : ''}\n`);
    } finally {
      await stopServer(proc);
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\n| server | µs server CPU per request (median of ${ROUNDS} x ${SECONDS} s) | rounds |\n|---|---|---|`);
for (const [label] of cases) {
  const xs = results.get(label);
  console.log(`| ${label} | ${xs.length === 0 ? '-' : median(xs).toFixed(1)} | ${xs.map((x) => x.toFixed(1)).join(' ')} |`);
}
