import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The bench is plain JavaScript outside the build: read from the source tree, as `npm run bench` runs it.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

interface Case { id: string; label: string; group: string; cmd: string[] }
type Slices = Record<string, { count: number; cpuUs: number | undefined }[][]>;
interface Ratio { value: number; passes: number[]; rounds: number[] }
interface Pairs {
  pairedGroups(pairs: [string, string][], cases: Case[]): Case[][];
  withControls(groups: Case[][], baselines: string[]): (Case & { control?: string })[][];
  controlRatios(paired: Slices | undefined): (Ratio & { of: string })[];
  turned<T>(group: T[], round: number): T[];
  pairedRatio(paired: Slices | undefined, a: string, b: string): Ratio | undefined;
}
const pairs = (await import(pathToFileURL(join(root, 'bench', 'lib', 'pairs.mjs')).href)) as Pairs;

const c = (id: string, group = 'http'): Case => ({ id, label: id, group, cmd: ['node', `${id}.mjs`] });
const ids = (groups: { id: string }[][]): string[][] => groups.map((g) => g.map((x) => x.id));

describe('the goals\' paired slices (bench/lib/pairs.mjs)', () => {
  it('should put goals that share a case in one group, and leave out a goal whose cases are not run', () => {
    const cases = [c('koa'), c('proto'), c('full'), c('obs'), c('fastify'), c('plain'), c('raw', 'grpc')];
    const groups = pairs.pairedGroups([['proto', 'koa'], ['full', 'koa'], ['proto', 'obs'], ['plain', 'fastify'], ['kratos', 'raw']], cases);
    assert.deepEqual(ids(groups).map((g) => [...g].sort()), [['full', 'koa', 'obs', 'proto'], ['fastify', 'plain']]);
  });

  it('should add to each group a second process of the first baseline it has, named apart and marked as a control', () => {
    const groups = pairs.withControls([[c('proto'), c('obs'), c('koa')], [c('plain')]], ['koa', 'obs', 'fastify']);
    assert.deepEqual(ids(groups), [['proto', 'obs', 'koa', 'koa-again'], ['plain']]);
    assert.equal(groups[0]?.[3]?.control, 'koa');
    assert.deepEqual(groups[0]?.[3]?.cmd, ['node', 'koa.mjs']);
  });

  it('should turn a group by one place a round, so that each server comes first once in as many rounds as the group has', () => {
    const group = ['a', 'b', 'c'];
    assert.deepEqual([1, 2, 3, 4].map((r) => pairs.turned(group, r)), [['a', 'b', 'c'], ['b', 'c', 'a'], ['c', 'a', 'b'], ['a', 'b', 'c']]);
  });

  it('should judge a goal by the median of its pass-by-pass ratios (b\'s CPU over a\'s), each round also weighted by requests', () => {
    // Round 1: one noisy pass (a slowed 3x) among two; round 2: steady. Baseline b costs 40 µs, a 32.
    const paired: Slices = {
      a: [[{ count: 1000, cpuUs: 32 }, { count: 300, cpuUs: 96 }], [{ count: 1000, cpuUs: 32 }, { count: 1000, cpuUs: 32 }]],
      b: [[{ count: 800, cpuUs: 40 }, { count: 800, cpuUs: 40 }], [{ count: 800, cpuUs: 40 }, { count: 800, cpuUs: 40 }]],
    };
    const r = pairs.pairedRatio(paired, 'a', 'b');
    assert.deepEqual(r?.passes, [1.25, 40 / 96, 1.25, 1.25]);
    assert.equal(r?.value, 1.25);
    assert.equal(r?.rounds[1], 1.25);
    assert.equal(r?.rounds[0]?.toFixed(4), (40 / ((32 * 1000 + 96 * 300) / 1300)).toFixed(4));
  });

  it('should skip passes where either side served nothing, and give no ratio when a side did not run', () => {
    const paired: Slices = { a: [[{ count: 0, cpuUs: undefined }, { count: 10, cpuUs: 20 }]], b: [[{ count: 10, cpuUs: 30 }, { count: 10, cpuUs: 30 }]] };
    assert.deepEqual(pairs.pairedRatio(paired, 'a', 'b')?.passes, [1.5]);
    assert.equal(pairs.pairedRatio(paired, 'a', 'missing'), undefined);
    assert.equal(pairs.pairedRatio(undefined, 'a', 'b'), undefined);
  });

  it('should report each control against its baseline, and none for a control that served nothing', () => {
    const paired: Slices = {
      koa: [[{ count: 10, cpuUs: 40 }]],
      'koa-again': [[{ count: 10, cpuUs: 44 }]],
      raw: [[{ count: 10, cpuUs: 40 }]],
      'raw-again': [[{ count: 0, cpuUs: undefined }]],
    };
    const controls = pairs.controlRatios(paired);
    assert.deepEqual(controls.map((x) => [x.of, x.value.toFixed(3)]), [['koa', (40 / 44).toFixed(3)]]);
    assert.deepEqual(pairs.controlRatios(undefined), []);
  });
});
