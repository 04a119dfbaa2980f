import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../../../helpers/echo-service.js';
import { gone, running } from '../../../helpers/processes.js';

const cli = repoPath('dist/lib/tools/cli/main.js');

// A project whose build copies src/main.js to dist/ (failing on BROKEN), and whose service reports the
// signals it gets, forks a helper that ignores SIGTERM, and exits (after a graceful 200 ms) on SIGHUP,
// SIGINT or SIGTERM.
const SERVICE = `import { spawn } from 'node:child_process';
const helper = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
for (const s of ['SIGHUP', 'SIGINT', 'SIGTERM']) process.on(s, () => { console.log('got ' + s); setTimeout(() => process.exit(0), 200); });
console.log('up ' + process.pid + ' helper ' + helper.pid + ' VERSION');
setInterval(() => {}, 1000);
`;
const BUILD = `import { cpSync, mkdirSync, readFileSync } from 'node:fs';
if (readFileSync('src/main.js', 'utf8').includes('BROKEN')) { console.error('build: BROKEN'); process.exit(1); }
mkdirSync('dist', { recursive: true });
cpSync('src/main.js', 'dist/main.js');
`;


describe('kratos-ts run', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kratos-run-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function project(name: string): string {
    const root = join(dir, name);
    mkdirSync(join(root, 'src'), { recursive: true });
    mkdirSync(join(root, 'configs'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name, type: 'module', scripts: { build: 'node build.mjs' } }));
    writeFileSync(join(root, 'build.mjs'), BUILD);
    writeFileSync(join(root, 'src', 'main.js'), SERVICE.replace('VERSION', 'v1'));
    writeFileSync(join(root, 'configs', 'config.yaml'), 'a: 1\n');
    return root;
  }

  function start(root: string): { child: ChildProcess; out: () => string; waitFor: (re: RegExp, count?: number) => Promise<void> } {
    const child = spawn(process.execPath, [cli, 'run', root], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
    const waitFor = async (re: RegExp, count = 1) => {
      const g = new RegExp(re.source, 'g');
      const until = Date.now() + 20_000;
      while ((out.match(g) ?? []).length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      assert.ok((out.match(g) ?? []).length >= count, `${re} x${count} in:\n${out}`);
    };
    return { child, out: () => out, waitFor };
  }

  const pids = (out: string) => [...out.matchAll(/up (\d+) helper (\d+)/g)].flatMap((m) => [Number(m[1]), Number(m[2])]);

  for (const signal of ['SIGHUP', 'SIGINT', 'SIGTERM'] as const) {
    it(`should forward ${signal} to the service, exit with its status, and leave nothing behind`, { timeout: 30_000 }, async () => {
      const run = start(project(`p-${signal}`));
      await run.waitFor(/up \d+ helper \d+ v1/);
      const exited = new Promise<number | null>((r) => run.child.once('exit', (code) => r(code)));
      run.child.kill(signal);
      assert.equal(await exited, 0);
      assert.match(run.out(), new RegExp(`got ${signal}`));
      for (const pid of pids(run.out())) assert.ok(await gone(pid), `pid ${pid} is gone`);
    });
  }

  it('should stop the service even when run itself is killed with SIGKILL', { timeout: 30_000 }, async () => {
    const run = start(project('killed'));
    await run.waitFor(/up \d+ helper \d+ v1/);
    const exited = new Promise((r) => run.child.once('exit', r));
    run.child.kill('SIGKILL');
    await exited;
    const [service, helper] = pids(run.out());
    try {
      assert.ok(service !== undefined && (await gone(service)), 'the service stopped on its own');
    } finally {
      // With run killed, nothing is left to stop the service's helper, which ignores SIGTERM: the test
      // does, so that a suite run leaves no process behind.
      if (helper !== undefined && running(helper)) process.kill(helper, 'SIGKILL');
    }
  });

  it('should take two signals at once (Ctrl-C under npm run: terminal and npm) as one graceful stop', { timeout: 30_000 }, async () => {
    const run = start(project('twice'));
    await run.waitFor(/up \d+ helper \d+ v1/);
    const exited = new Promise<number | null>((r) => run.child.once('exit', (code) => r(code)));
    run.child.kill('SIGINT');
    run.child.kill('SIGINT');
    assert.equal(await exited, 0, 'the service stopped by itself, not by SIGKILL');
    assert.equal((run.out().match(/got SIGINT/g) ?? []).length, 1);
  });

  it('should rebuild on a source change, restart on a config change, name the file, and wait out a failed build', { timeout: 60_000 }, async () => {
    const root = project('loop');
    const run = start(root);
    try {
      await run.waitFor(/up \d+ helper \d+ v1/);
      writeFileSync(join(root, 'src', 'main.js'), SERVICE.replace('VERSION', 'v2'));
      await run.waitFor(/up \d+ helper \d+ v2/);
      assert.match(run.out(), /kratos-ts run: src\/main\.js changed: rebuilding and restarting/);
      writeFileSync(join(root, 'configs', 'config.yaml'), 'a: 2\n');
      await run.waitFor(/up \d+ helper \d+ v2/, 2);
      assert.match(run.out(), /kratos-ts run: configs\/config\.yaml changed: restarting/);
      writeFileSync(join(root, 'src', 'main.js'), `${SERVICE}// BROKEN\n`);
      await run.waitFor(/build failed; waiting for the next change/);
      writeFileSync(join(root, 'src', 'main.js'), SERVICE.replace('VERSION', 'v3'));
      await run.waitFor(/up \d+ helper \d+ v3/);
    } finally {
      const exited = new Promise((r) => run.child.once('exit', r));
      run.child.kill('SIGTERM');
      await exited;
    }
    const all = pids(run.out());
    assert.equal(all.length, 8, 'four services, each with its helper');
    for (const pid of all) assert.ok(await gone(pid), `pid ${pid} is gone`);
  });
});
