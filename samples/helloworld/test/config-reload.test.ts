import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from 'kratos-ts';
import { createTestApp } from 'kratos-ts/testing';
import { AppModule } from '../src/server/app.module.js';

describe('helloworld configuration', () => {
  it('should follow an edit of configs/config.yaml within a second, with no request failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'helloworld-configs-'));
    cpSync(fileURLToPath(new URL('../configs', import.meta.url)), dir, { recursive: true });
    const t = await createTestApp(AppModule, { configDir: dir });
    try {
      const seen: unknown[] = [];
      t.get(Config).watch('greeter.prefix', (v) => seen.push(v));
      assert.deepEqual(await (await fetch(`${t.httpUrl}/helloworld/kratos`)).json(), { message: 'Hello kratos' });
      let failures = 0;
      let calls = 0;
      let stop = false;
      const load = (async () => {
        while (!stop) {
          const r = await fetch(`${t.httpUrl}/helloworld/kratos`);
          calls++;
          if (r.status !== 200) failures++;
          await r.arrayBuffer();
        }
      })();
      const file = join(dir, 'config.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('prefix: Hello', 'prefix: Hi'));
      const changedAt = Date.now();
      let latest = '';
      while (Date.now() - changedAt < 1000 && latest !== 'Hi kratos') {
        latest = ((await (await fetch(`${t.httpUrl}/helloworld/kratos`)).json()) as { message: string }).message;
      }
      // A reload seen within a few milliseconds leaves the load loop few calls on a busy machine; keep
      // it going until it has made enough for "no request failing" to mean something.
      while (calls <= 10 && failures === 0 && Date.now() - changedAt < 5000) await new Promise((r) => setTimeout(r, 5));
      stop = true;
      await load;
      assert.equal(latest, 'Hi kratos');
      assert.deepEqual(seen, ['Hi']);
      assert.equal(failures, 0);
      assert.ok(calls > 10);
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
