// A short fleet run in the suite (npm run soak runs it longer): ten instances on a real etcd, four
// discovery clients, SIGTERM, join, SIGKILL, an etcd outage and an etcd that comes back empty.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fleetSoak, fleetTable, fleetViolations } from './fleet.js';

describe('fleet (short)', () => {
  it('should lose and duplicate no call through churn and etcd loss, and stop trying a killed instance within 2 s', async () => {
    const result = await fleetSoak({ instances: 10, phaseMs: 1500, rate: 15, outageMs: 2000 });
    const violations = fleetViolations(result);
    assert.deepEqual(violations, [], fleetTable(result));
    assert.ok(result.calls > 1000, `only ${result.calls} calls`);
    const kill = result.phases.find((p) => p.phase.startsWith('SIGKILL'));
    assert.ok(kill?.lastAttemptMs !== undefined && Object.keys(kill.lastAttemptMs).length === 4);
  });
});
