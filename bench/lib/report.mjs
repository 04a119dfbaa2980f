// Medians and the printed tables.
import { describeHost } from './host.mjs';

export function median(values) {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// Undefined, or NaN (null once written to JSON): not measured.
const missing = (n) => n === undefined || n === null || Number.isNaN(n);
const int = (n) => (missing(n) ? '-' : Math.round(n).toLocaleString('en-US'));
const fixed = (n, d = 2) => (missing(n) ? '-' : n.toFixed(d));
const signed = (n) => (missing(n) ? '-' : `${n >= 0 ? '+' : ''}${n.toFixed(1)}`);

function caseTables(result, out) {
  const titles = { http: ['HTTP GET /helloworld/{name}', 'req/s', 'p99 ms', 'x koa+router'], grpc: ['gRPC unary SayHello', 'calls/s', 'mean ms', 'x raw grpc-js'], stream: ['gRPC server stream', 'msg/s', 'mean ms', 'x raw grpc-js'] };
  for (const [group, [title, unit, latency, versus]] of Object.entries(titles)) {
    // A case the main rounds did not run (BENCH_ROUNDS=0: the paired slices only) has no row.
    const rows = result.rows.filter((r) => r.group === group && !missing(r.rate));
    if (rows.length === 0) continue;
    const per = group === 'stream' ? 'msg' : group === 'http' ? 'req' : 'call';
    out.push('', `### ${title}`, '', `| server | ${unit} (median) | min - max | CPU µs/${per} | server core busy % | ${latency} | RSS MiB | errors | ${versus} |`, '|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      const lat = group === 'http' ? r.p99ms : r.meanMs;
      // Below about 95 % the server was not the bottleneck (the load generator or a neighbour was), and
      // its throughput understates it; CPU per request does not depend on that.
      const busy = missing(r.cpuUs) ? undefined : (r.cpuUs * r.rate) / 1e4;
      out.push(`| ${r.label} | ${int(r.rate)} | ${int(r.min)} - ${int(r.max)} | ${fixed(r.cpuUs, 1)} | ${int(busy)} | ${fixed(lat)} | ${int(r.rssMiB)} | ${r.errors} | ${fixed(r.ratio)} |`);
    }
  }
}

function costTable(result, out) {
  const costs = result.middlewareCosts;
  if (costs.every((c) => missing(c.us))) return;
  out.push('', '### What each kratos-ts default costs (server CPU µs per call: with it minus without it)', '', '| default | HTTP proto route | gRPC unary | measured as (HTTP) | how it is switched off |', '|---|---|---|---|---|');
  for (const name of [...new Set(costs.map((c) => c.name))]) {
    const http = costs.find((c) => c.name === name && c.transport === 'http');
    const grpc = costs.find((c) => c.name === name && c.transport === 'grpc');
    const any = http ?? grpc;
    if (missing(http?.us) && missing(grpc?.us)) continue;
    out.push(`| ${name} | ${signed(http?.us)} | ${signed(grpc?.us)} | ${any.on} - ${any.off} | ${any.how} |`);
  }
}

function peerTable(result, out) {
  const measured = (p) => [p.bare, p.samplerOff, p.sampled].some((c) => !missing(c?.cpuUs));
  if (!result.peers.some(measured)) return;
  out.push(
    '',
    '### Equal observability: one JSON log line, prom-client counter + histogram, OpenTelemetry (server CPU µs per request)',
    '',
    '| stack | bare | + log, metrics, tracing (sampler off) | 100 % sampled, OTLP batch export | OTLP bytes/req sampled | kratos-ts defaults vs its sampler-off row (CPU) |',
    '|---|---|---|---|---|---|',
  );
  for (const p of result.peers.filter(measured)) {
    const cell = (c) => (c === undefined ? '-' : fixed(c.cpuUs, 1));
    const delta = (c) => (c === undefined || p.bare === undefined ? '' : ` (${signed(c.cpuUs - p.bare.cpuUs)})`);
    out.push(`| ${p.name} | ${cell(p.bare)} | ${cell(p.samplerOff)}${delta(p.samplerOff)} | ${cell(p.sampled)}${delta(p.sampled)} | ${int(p.sampled?.exportedBytes)} | ${missing(p.kratosDefaultsVsSamplerOff) ? '-' : `${fixed(p.kratosDefaultsVsSamplerOff)}x`} |`);
  }
}

function goalTable(result, out) {
  const p = result.paired;
  const basis = p === undefined
    ? 'inverse ratio of server CPU per request in this run'
    : `inverse ratio of server CPU per request, median of the paired slices (${p.rounds} rounds of ${p.passes} passes of ${p.seconds} s, the goal's servers loaded in turn); the main rounds' ratio beside it`;
  out.push('', `### Goals of issue 19 (ratios: ${basis}; throughput ratio beside it)`, '');
  // How far the host alone moved a paired ratio in this run: two processes of the same server.
  for (const c of result.controls ?? []) out.push(`- A/A control, ${c.of} against a second process of itself: ${fixed(c.value)}x (passes ${fixed(Math.min(...c.passes))} - ${fixed(Math.max(...c.passes))})`);
  out.push(
    '',
    '| case | now | paired passes, min - max | main rounds | each main round (CPU) | throughput ratio | goal | verdict |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const g of result.goals) {
    const rounds = g.rounds === undefined || g.rounds.length < 2 ? '' : g.rounds.map((r) => fixed(r)).join(', ');
    const passes = g.paired === undefined ? '' : `${fixed(Math.min(...g.paired.passes))} - ${fixed(Math.max(...g.paired.passes))}`;
    const main = g.paired === undefined || missing(g.cpuRatio) ? '' : `${fixed(g.cpuRatio)}x`;
    if (g.skipped) out.push(`| ${g.row} | not measured | | | | | ${g.goal} | - |`);
    else out.push(`| ${g.row} | ${g.display} | ${passes} | ${main} | ${rounds} | ${missing(g.rateRatio) ? '' : `${fixed(g.rateRatio)}x`} | ${g.goal} | ${g.met ? 'met' : 'not met'} |`);
  }
}

function bootTable(result, out) {
  const b = result.boot;
  if (b === undefined) return;
  out.push('', `### Boot and memory (median of ${result.method.boot.starts} starts)`, '', `| app | process start to first 200 ms | createApp + start ms | RSS 1 s after start MiB | idle RSS (${result.method.boot.idleMs / 1000} s) MiB |`, '|---|---|---|---|---|');
  const rows = [['helloworld sample', b.helloworld], ['generated module, 200 providers', b.providers200]];
  // Not a goal: how fast this host started a process during the run (issue 19 read 0.07 s for it).
  if (b.rawNode !== undefined) rows.push(['raw node:http (the host, for reference)', b.rawNode]);
  for (const [label, x] of rows) {
    out.push(`| ${label} | ${int(x.firstReplyMs)} | ${int(x.appMs)} | ${int(x.startedRssMiB)} | ${int(x.idleRssMiB)} |`);
  }
}

export function renderTable(result) {
  const out = [];
  const { method } = result;
  out.push(`kratos-ts bench${result.quick ? ' (QUICK: smoke run, figures not comparable)' : ''}, ${result.startedAt}, node ${result.node}, ${result.machine.cpus} cpus (${result.machine.model})`);
  if (result.loadAverage !== undefined) out.push(`1-minute load average ${fixed(result.loadAverage.start)} at the start, ${fixed(result.loadAverage.end)} at the end (2 and more: other work shared the cores)`);
  if (result.host !== undefined) out.push(`${describeHost(result.host.start)}; at the end ${result.host.end.syscallUs.toFixed(2)} and ${result.host.end.pageFaultUs.toFixed(2)} µs`);
  const rounds = method.rounds === 0 ? 'no main rounds (BENCH_ROUNDS=0)' : `${method.rounds} rounds of ${method.seconds} s after ${method.warmup} s warm-up`;
  out.push(`${rounds}, server on core ${method.serverCore}, load on core ${method.loadCore}; HTTP: ${method.http} (${result.tools.wrk}); gRPC: ${method.grpc} (${result.tools.h2load})`);
  caseTables(result, out);
  costTable(result, out);
  peerTable(result, out);
  bootTable(result, out);
  goalTable(result, out);
  return out.join('\n');
}
