// A soak run killed outright (SIGKILL, a crashed runner) must leave no instance serving: every child
// the soak starts exits when its IPC channel to the runner closes (test/fixtures/apps/parent-link.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

const loadTools = new URL('./load-tools.js', import.meta.url).href;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('soak children', () => {
  it('should exit when the runner that started them is killed with SIGKILL', async () => {
    const script = `import { Child } from ${JSON.stringify(loadTools)}; const c = await Child.start('../../soak/bare-reference', { CAP: '1' }); console.log('CHILD ' + c.proc.pid);`;
    const runner = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      runner.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /CHILD (\d+)/.exec(out);
        if (m !== null) resolve(Number(m[1]));
      });
      runner.once('exit', (code) => reject(new Error(`runner exited with ${code}: ${out}`)));
    });
    assert.ok(alive(pid), 'the child serves while its runner lives');
    runner.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const orphan = alive(pid);
    if (orphan) process.kill(pid, 'SIGKILL');
    assert.equal(orphan, false, 'the child exited with its runner');
  });
});
