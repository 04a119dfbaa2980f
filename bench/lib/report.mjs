// Medians and the printed table.

export function median(values) {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const int = (n) => (n === undefined || Number.isNaN(n) ? '-' : Math.round(n).toLocaleString('en-US'));
const fixed = (n, d = 2) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));

function goalCell(r) {
  if (r.goal === undefined || r.ratio === undefined) return '';
  return `>= ${fixed(r.goal)}x: ${r.ratio >= r.goal ? 'met' : 'not met'}`;
}

export function renderTable(result) {
  const out = [];
  const { method } = result;
  out.push(`kratos-ts bench, ${result.startedAt}, node ${result.node}, ${result.machine.cpus} cpus (${result.machine.model})`);
  out.push(`${method.rounds} rounds of ${method.seconds} s after ${method.warmup} s warm-up, server on core ${method.serverCore}, load on core ${method.loadCore}; HTTP: ${method.http} (${result.tools.wrk}); gRPC: ${method.grpc} (${result.tools.h2load})`);
  const titles = { http: ['HTTP GET /helloworld/{name}', 'req/s', 'x koa+router'], grpc: ['gRPC unary SayHello', 'calls/s', 'x raw grpc-js'], stream: ['gRPC server stream', 'msg/s', 'x raw grpc-js'] };
  for (const [group, [title, unit, versus]] of Object.entries(titles)) {
    const rows = result.rows.filter((r) => r.group === group);
    if (rows.length === 0) continue;
    out.push('', `### ${title}`, '', `| server | ${unit} (median) | min - max | ${group === 'http' ? 'p99 ms' : 'mean ms'} | RSS MiB | errors | ${versus} | goal |`, '|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      if (r.skipped !== undefined) {
        out.push(`| ${r.label} | skipped: ${r.skipped} | | | | | | |`);
        continue;
      }
      const lat = group === 'http' ? r.p99ms : r.meanMs;
      out.push(`| ${r.label} | ${int(r.rate)} | ${int(r.min)} - ${int(r.max)} | ${fixed(lat)} | ${int(r.rssMiB)} | ${r.errors} | ${fixed(r.ratio)} | ${goalCell(r)} |`);
    }
  }
  if (result.versusNestExpress !== undefined) {
    const v = result.versusNestExpress;
    out.push('', `kratos-ts proto route (default middleware) vs NestJS + express: ${fixed(v)}x (goal >= 4x: ${v >= 4 ? 'met' : 'not met'})`);
  }
  if (result.boot !== undefined) {
    const b = result.boot;
    out.push('', '### Boot and memory (median of 5 starts)', '', '| app | process start to first 200 ms | createApp + start ms | RSS 1 s after start MiB | idle RSS (20 s) MiB |', '|---|---|---|---|---|');
    for (const [label, x] of [['helloworld sample', b.helloworld], ['generated module, 200 providers', b.providers200]]) {
      out.push(`| ${label} | ${int(x.firstReplyMs)} | ${int(x.appMs)} | ${int(x.startedRssMiB)} | ${int(x.idleRssMiB)} |`);
    }
    out.push('', `200 providers: createApp + start ${int(b.providers200.appMs)} ms (goal < 150 ms: ${b.providers200.appMs < 150 ? 'met' : 'not met'}); helloworld idle RSS ${int(b.helloworld.idleRssMiB)} MiB (goal < 90 MiB: ${b.helloworld.idleRssMiB < 90 ? 'met' : 'not met'})`);
  }
  return out.join('\n');
}
