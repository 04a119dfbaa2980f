// `npm run soak`: every scenario at full length, a summary table, exit 1 if any call failed or memory grew
// more than 10 %. SOAK_SECONDS scales the saturation runs (default 60).
import { runResilience } from './resilience-run.js';
import { etcdOutage, grpcSaturation, httpSaturation, instanceKilled, rollingRestart, type ScenarioResult } from './scenarios.js';
import { fleetSoak, fleetTable, fleetViolations } from './fleet.js';

const seconds = Number(process.env['SOAK_SECONDS'] ?? 60);
const rows: ScenarioResult[] = [];
for (const run of [() => httpSaturation(seconds), () => grpcSaturation(seconds), () => rollingRestart(40), () => instanceKilled(30), () => etcdOutage(50, 30)]) {
  const row = await run();
  rows.push(row);
  console.error(`${row.scenario}: ${row.calls} calls, ${row.failed} failed`);
}

const fmt = (n: number | undefined, d = 1): string => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));
const pass = (r: ScenarioResult): boolean => r.failed === 0 && (r.growthPct === undefined || r.growthPct < 10);
console.log('| scenario | seconds | calls | failed | calls/s | p99 ms | RSS start MiB | RSS end MiB | growth % | result | notes |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.scenario} | ${r.seconds} | ${r.calls} | ${r.failed} | ${Math.round(r.calls / r.seconds)} | ${fmt(r.p99ms)} | ${fmt(r.rssStartMiB)} | ${fmt(r.rssEndMiB)} | ${fmt(r.growthPct)} | ${pass(r) ? 'pass' : 'FAIL'} | ${r.notes}${r.errors.length > 0 ? `; errors: ${r.errors.join(' / ')}` : ''} |`);
}
const resilienceOk = await runResilience(seconds);
const fleet = await fleetSoak({ instances: Number(process.env['FLEET_INSTANCES'] ?? 12), phaseMs: 8000, rate: 25, outageMs: 5000 });
console.log(`\n${fleetTable(fleet)}`);
const missed = fleetViolations(fleet);
for (const m of missed) console.log(`GOAL MISSED: ${m}`);
process.exit(rows.every(pass) && resilienceOk && missed.length === 0 ? 0 : 1);
