// `node dist/test/soak/fleet-run.js`: the fleet soak alone at full length. FLEET_INSTANCES (default 12),
// FLEET_PHASE_SECONDS (default 8), FLEET_RATE calls/s per client (default 25).
import { fleetSoak, fleetTable, fleetViolations } from './fleet.js';

const result = await fleetSoak({
  instances: Number(process.env['FLEET_INSTANCES'] ?? 12),
  phaseMs: Number(process.env['FLEET_PHASE_SECONDS'] ?? 8) * 1000,
  rate: Number(process.env['FLEET_RATE'] ?? 25),
  outageMs: 5000,
});
console.log(fleetTable(result));
const violations = fleetViolations(result);
for (const v of violations) console.log(`GOAL MISSED: ${v}`);
process.exitCode = violations.length === 0 ? 0 : 1;
