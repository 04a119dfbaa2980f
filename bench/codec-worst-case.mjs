// Worst-case cost of decoding a request body, per codec: the hostile corpus of the test suite
// (test/helpers/hostile-corpus.ts) plus the largest bodies each codec still accepts. Each body is
// decoded in-process several times; reported: CPU ms of the first (cold) run and the median of the
// others (warm), and the heap growth of one
// decode (heapUsed after minus before, garbage included, measured after a full GC), against the goals
// of docs/resilience-and-security.md (<= 50 ms CPU, <= 20x the body in memory).
// Run: npm run bench:codecs (builds first; needs node --expose-gc).
import { join } from 'node:path';
import { HERE } from './lib/boot.mjs';

const ROOT = join(HERE, '..');
const dist = (p) => import(join(ROOT, 'dist', p));
const RUNS = Number(process.env.BENCH_CODEC_RUNS ?? 5);

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc (npm run bench:codecs does)');
  process.exit(2);
}

const { hostileCorpus, treeNode } = await dist('test/helpers/hostile-corpus.js');
const { defaultCodecs, decodeForm } = await dist('lib/encoding/index.js');
const Node = await treeNode();
const codecs = defaultCodecs();
const FORM = 'application/x-www-form-urlencoded';

/** The largest bodies each codec accepts within its limits (1 MiB; YAML/XML 32 KiB). */
function accepted() {
  const long = 'x'.repeat(90);
  const children = Array.from({ length: 9_900 }, (_, i) => ({ name: `${long}${i}` }));
  const proto = codecs.get('proto').marshal({ children }, Node);
  const nest = (n) => `${'{"child":'.repeat(n)}{"name":"x"}${'}'.repeat(n)}`;
  return [
    { name: 'JSON, 9.9k list elements of 100 B', codec: 'json', contentType: 'application/json', body: Buffer.from(JSON.stringify({ children })) },
    { name: 'JSON, 9.9k big integers', codec: 'json', contentType: 'application/json', body: Buffer.from(`{"ids":[${Array.from({ length: 9_900 }, () => '9223372036854775807').join(',')}]}`) },
    { name: 'JSON, nested 99 deep', codec: 'json', contentType: 'application/json', body: Buffer.from(nest(99)) },
    { name: 'protobuf, 9.9k list elements of 100 B', codec: 'proto', contentType: 'application/x-protobuf', body: proto },
    { name: 'form, 9.9k values of 100 B', codec: 'form', contentType: FORM, body: Buffer.from(Array.from({ length: 9_900 }, () => `tags=${long}`).join('&')) },
    { name: 'form, a key 99 segments deep', codec: 'form', contentType: FORM, body: Buffer.from(`${'child.'.repeat(99)}name=x`) },
    { name: 'YAML, 32 KiB list', codec: 'yaml', contentType: 'application/yaml', body: Buffer.from(`tags:\n${Array.from({ length: 1_000 }, () => `  - ${'y'.repeat(28)}`).join('\n')}\n`) },
    { name: 'XML, 32 KiB list', codec: 'xml', contentType: 'application/xml', body: Buffer.from(`<Node>${Array.from({ length: 1_200 }, () => `<tags>${'z'.repeat(13)}</tags>`).join('')}</Node>`) },
  ];
}

function decoder(c) {
  if (c.codec === 'query') return () => decodeForm(Node, new URLSearchParams(c.query));
  // The router checks the parameter's percent-encoding; a malformed one is a 400 before any binding.
  if (c.codec === 'path') return () => { try { decodeURIComponent(c.path); } catch { throw Object.assign(new Error('bad percent-encoding'), { code: 400, metadata: { limit: 'percent-encoding' } }); } };
  const codec = codecs.forContentType(c.contentType);
  return () => codec.unmarshal(c.body, Node);
}

function measure(c) {
  const run = decoder(c);
  const times = [];
  let outcome = 'ok';
  for (let i = 0; i < RUNS; i++) {
    const t = process.cpuUsage();
    try {
      run();
    } catch (err) {
      outcome = err.code === 400 ? `400 ${err.metadata?.limit ?? 'CODEC'}` : `error ${err.message.slice(0, 40)}`;
    }
    const d = process.cpuUsage(t);
    times.push((d.user + d.system) / 1000);
  }
  const cold = times[0];
  const warm = times.slice(1).sort((a, b) => a - b)[Math.floor((times.length - 1) / 2)] ?? cold;
  globalThis.gc();
  const before = process.memoryUsage();
  let kept;
  try {
    kept = run();
  } catch {
    kept = undefined;
  }
  const after = process.memoryUsage();
  const grew = Math.max(0, after.heapUsed - before.heapUsed) + Math.max(0, after.external - before.external);
  void kept;
  const size = c.body.length || (c.query ?? c.path ?? '').length;
  return { codec: c.codec, name: c.name, size, cpuMs: warm, coldMs: cold, heapMiB: grew / 2 ** 20, ratio: grew / Math.max(1, size), outcome };
}

const rows = [...hostileCorpus().map((c) => ({ ...c, kind: 'hostile' })), ...accepted().map((c) => ({ ...c, kind: 'accepted' }))].map((c) => ({ kind: c.kind, ...measure(c) }));
console.log('| codec | body | size | CPU ms (warm median) | CPU ms (first, cold) | heap growth MiB | x size | outcome |');
console.log('|---|---|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  console.log(`| ${r.codec} | ${r.kind}: ${r.name} | ${(r.size / 1024).toFixed(0)} KiB | ${r.cpuMs.toFixed(1)} | ${r.coldMs.toFixed(1)} | ${r.heapMiB.toFixed(1)} | ${r.ratio.toFixed(1)} | ${r.outcome} |`);
}
console.log('\nWorst per codec:');
for (const codec of [...new Set(rows.map((r) => r.codec))]) {
  const mine = rows.filter((r) => r.codec === codec);
  const cpu = mine.reduce((a, r) => (r.cpuMs > a.cpuMs ? r : a));
  const mem = mine.reduce((a, r) => (r.heapMiB > a.heapMiB ? r : a));
  console.log(`- ${codec}: ${cpu.cpuMs.toFixed(1)} ms CPU warm, ${cpu.coldMs.toFixed(1)} ms cold (${cpu.name}); ${mem.heapMiB.toFixed(1)} MiB heap, ${mem.ratio.toFixed(1)}x (${mem.name})`);
}
