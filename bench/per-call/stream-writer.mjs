// What the reply-stream writer itself costs per message, without sockets: a watched stream of 1000
// greetings (onCallEnd, as the middleware make it) written by writeReplies to a sink that takes every
// message, for an `async *` handler delegating to a sync generator (bench/servers/kratos.mjs' grpc
// variants) and for one returning the sync generator (grpc-sync); with `als`, the middleware scope is an
// AsyncLocalStorage.run, so Node's async hooks are on as with tracing. Process CPU per message, each
// case in a fresh process, cases interleaved round by round, medians.
//   node bench/per-call/stream-writer.mjs [rounds]
import { spawnSync } from 'node:child_process';
import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const MESSAGES = 1000;
const STREAMS = 400;

if (process.argv[2] === 'case') {
  const [, , , kind, als] = process.argv;
  const { writeReplies, onCallEnd } = await import(join(ROOT, 'dist', 'lib', 'middleware', 'index.js'));
  const storage = new AsyncLocalStorage();
  const scope = als === 'als' ? (fn) => storage.run({}, fn) : undefined;
  function* greetings(n) {
    for (let i = 0; i < n; i++) yield { message: `Hello bench ${i}` };
  }
  async function* asyncGreetings(n) {
    yield* greetings(n);
  }
  const ctx = { aborted: false, signal: new AbortController().signal };
  const sink = { write: () => true, drained: () => Promise.resolve(), ended: () => false };
  const handler = () => Promise.resolve(kind === 'sync' ? greetings(MESSAGES) : asyncGreetings(MESSAGES));
  const stream = async () => writeReplies(await onCallEnd(handler, {}, ctx, () => undefined, 0, scope), 'bench', sink);
  for (let i = 0; i < STREAMS / 4; i++) await stream();
  const t0 = process.cpuUsage();
  for (let i = 0; i < STREAMS; i++) await stream();
  const d = process.cpuUsage(t0);
  console.log(((d.user + d.system) / (STREAMS * MESSAGES)).toFixed(4));
} else {
  const rounds = Number(process.argv[2] ?? 5);
  const cases = [['async', ''], ['sync', ''], ['async', 'als'], ['sync', 'als']];
  const results = new Map(cases.map((c) => [c.join(' '), []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const out = spawnSync('taskset', ['-c', '1', process.execPath, fileURLToPath(import.meta.url), 'case', ...c], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(out.stderr);
      results.get(c.join(' ')).push(Number(out.stdout.trim()));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`| handler | µs CPU per message, no AsyncLocalStorage | with one (tracing's scope) |\n|---|---|---|`);
  for (const [kind, label] of [['async', '`async *` over a sync generator'], ['sync', 'returns the sync generator']]) {
    console.log(`| ${label} | ${median(results.get(`${kind} `)).toFixed(3)} | ${median(results.get(`${kind} als`)).toFixed(3)} |`);
  }
}
