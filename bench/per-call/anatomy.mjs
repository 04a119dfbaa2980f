// What a server does per request, counted rather than timed (so another process' load on the machine
// changes it little): preload it into a bench server (`node --import ./bench/per-call/anatomy.mjs
// bench/per-call/server.mjs http log,metrics,sampled`), put it under load, send the server SIGUSR2 to
// start counting and SIGUSR2 again to stop; it writes ANATOMY_OUT (default /tmp/anatomy-<pid>.json):
//   asyncInits  async resources created, by type (async_hooks init: what an AsyncLocalStorage pays for)
//   gc          collections by kind (1 scavenge, 4 mark-compact, ...) with their count and ms
//   allocated   bytes allocated by function (V8's sampling heap profiler, every 4 KiB, objects already
//               collected included), with ANATOMY_HEAP=1
//   profile     a CPU profile (100 µs) written to ANATOMY_CPU=<file>.cpuprofile
// Divide by the requests served between the two signals (wrk's count) for figures per request.
import { createHook } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { PerformanceObserver } from 'node:perf_hooks';

let counting = false;
const asyncInits = new Map();
const hook = createHook({
  init(_id, type) {
    asyncInits.set(type, (asyncInits.get(type) ?? 0) + 1);
  },
});
const gc = new Map();
new PerformanceObserver((list) => {
  if (!counting) return;
  for (const e of list.getEntries()) {
    const kind = e.detail?.kind ?? 0;
    const g = gc.get(kind) ?? { count: 0, ms: 0 };
    g.count++;
    g.ms += e.duration;
    gc.set(kind, g);
  }
}).observe({ entryTypes: ['gc'] });

const session = new Session();
session.connect();
const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))));

async function start() {
  asyncInits.clear();
  gc.clear();
  counting = true;
  hook.enable();
  if (process.env.ANATOMY_CPU) {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
  }
  if (process.env.ANATOMY_HEAP) await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
}

/** Self bytes per function of a sampling heap profile, largest first. */
function bytesByFunction(profile) {
  const by = new Map();
  const walk = (node) => {
    const f = node.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url}:${f.lineNumber + 1}`;
    by.set(name, (by.get(name) ?? 0) + node.selfSize);
    for (const c of node.children) walk(c);
  };
  walk(profile.head);
  return Object.fromEntries([...by].sort((a, b) => b[1] - a[1]));
}

async function stop() {
  counting = false;
  hook.disable();
  const out = { asyncInits: Object.fromEntries(asyncInits), gc: Object.fromEntries(gc) };
  if (process.env.ANATOMY_CPU) writeFileSync(process.env.ANATOMY_CPU, JSON.stringify((await post('Profiler.stop')).profile));
  if (process.env.ANATOMY_HEAP) out.allocated = bytesByFunction((await post('HeapProfiler.stopSampling')).profile);
  writeFileSync(process.env.ANATOMY_OUT ?? `/tmp/anatomy-${process.pid}.json`, JSON.stringify(out, null, 1));
}

process.on('SIGUSR2', () => void (counting ? stop() : start()));
