import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The bench is plain JavaScript outside the build: read from the source tree, as `npm run bench` runs it.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const report = (await import(pathToFileURL(join(root, 'bench', 'lib', 'report.mjs')).href)) as { renderTable(result: unknown): string };

// A run's result as bench/run.mjs builds it, with the main rounds' figures given per case (none: not run).
function result(rounds: number, rates: Record<string, number>) {
  const row = (id: string, group: string) => ({
    id, label: `label of ${id}`, group, errors: 0, cpuRounds: [],
    ...(rates[id] === undefined ? { rate: undefined, min: Infinity, max: -Infinity } : { rate: rates[id], min: rates[id], max: rates[id], cpuUs: 30 }),
  });
  return {
    startedAt: '2026-11-29T22:01:57.554Z', quick: false, node: 'v20.20.2', machine: { cpus: 2, model: 'AMD EPYC' },
    tools: { wrk: 'wrk 4.1.0', h2load: 'h2load 1.52.0' },
    method: { rounds, seconds: 10, warmup: 2, serverCore: 1, loadCore: 0, http: 'wrk -t1 -c50', grpc: 'h2load -c1 -m100', boot: { starts: 5, idleMs: 20000 } },
    rows: [row('http-koa', 'http'), row('grpc-raw', 'grpc')],
    middlewareCosts: [{ name: 'all defaults together', transport: 'grpc', on: 'grpc-kratos', off: 'grpc-kratos-bare', how: 'every option off', us: rates['grpc-raw'] === undefined ? undefined : 6.5 }],
    peers: [{ name: 'koa 3 + @koa/router', bare: { id: 'http-koa', ...(rates['http-koa'] === undefined ? {} : { cpuUs: 30 }) } }],
    goals: [],
  };
}

describe('the bench report (bench/lib/report.mjs)', () => {
  it('should leave out the tables of the main rounds when none ran, rather than print empty rows', () => {
    const text = report.renderTable(result(0, {}));
    assert.match(text, /^no main rounds \(BENCH_ROUNDS=0\), server on core 1/m);
    assert.doesNotMatch(text, /∞|Infinity|NaN/);
    for (const title of ['HTTP GET', 'gRPC unary SayHello', 'What each kratos-ts default costs', 'Equal observability']) assert.ok(!text.includes(title), title);
  });

  it('should print the cases the main rounds measured, and only those', () => {
    const text = report.renderTable(result(3, { 'http-koa': 25_000 }));
    assert.match(text, /^3 rounds of 10 s after 2 s warm-up, server on core 1/m);
    assert.match(text, /\| label of http-koa \| 25,000 \| 25,000 - 25,000 \| 30\.0 \|/);
    assert.ok(!text.includes('label of grpc-raw'));
    assert.ok(text.includes('Equal observability') && !text.includes('What each kratos-ts default costs'));
    assert.doesNotMatch(text, /∞|Infinity/);
  });
});
