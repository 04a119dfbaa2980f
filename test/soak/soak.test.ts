// Short versions of the soak and fault runs (npm run soak runs them at full length).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { etcdOutage, grpcSaturation, httpSaturation, instanceKilled, rollingRestart, type ScenarioResult } from './scenarios.js';

function assertNoFailures(r: ScenarioResult): void {
  assert.ok(r.calls > 100, `${r.scenario}: only ${r.calls} calls`);
  assert.equal(r.failed, 0, `${r.scenario}: ${r.failed} of ${r.calls} failed: ${r.errors.join(' / ')}`);
}

describe('soak (short)', () => {
  it('should keep an HTTP instance saturated without errors', async () => assertNoFailures(await httpSaturation(3)));
  it('should keep a gRPC instance saturated without errors', async () => assertNoFailures(await grpcSaturation(3)));
  it('should lose no call while two instances restart one after the other', async () => assertNoFailures(await rollingRestart(8)));
  it('should lose no call when one of two instances is killed', async () => assertNoFailures(await instanceKilled(6)));
  it('should lose no call while etcd is down, and find both instances after it is back', async () => {
    const r = await etcdOutage(9, 3);
    assertNoFailures(r);
    assert.match(r.notes, /registered again/);
  });
});
