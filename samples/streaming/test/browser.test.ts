import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { generateBrowserClient } from '../../../lib/tools/codegen/index.js';
import { ProtoLoader } from '../../../lib/proto/index.js';

// Debian's chromium (APT_PACKAGES in .ci/run).
const CHROMIUM = '/usr/bin/chromium';

async function startSample(): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  const child = spawn(process.execPath, [main], { env: { ...process.env, HTTP_ADDR: '127.0.0.1:0', GRPC_ADDR: '127.0.0.1:0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line in:\n${out}`)), 10_000);
    child.stdout?.on('data', () => {
      const m = /server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
  });
  return { url, child, log: () => out };
}

describe('streaming sample in a browser', () => {
  it('should serve a page whose generated client and EventSource call the rpcs, in headless Chromium', async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
    const { url, child, log } = await startSample();
    // playwright-core drives Debian's chromium (it downloads no browser of its own).
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${url}/`);
      await page.waitForSelector('body[data-state]', { timeout: 30_000 });
      const result = (await page.textContent('#result')) ?? '';
      assert.equal(await page.getAttribute('body', 'data-state'), 'done', result);
      assert.deepEqual(JSON.parse(result), {
        unaryGrpcWeb: 1,
        unaryHttp: 2,
        streamGrpcWeb: ['hello', 'from', 'the browser'],
        streamNdjson: ['from', 'the browser'],
        streamEventSource: ['hello', 'from', 'the browser'],
      });
      const served = log();
      for (const op of ['/chat.v1.Chat/Send', '/chat.v1.Chat/History']) assert.ok(served.includes(`"operation":"${op}"`), `${op} not in the access log`);
    } finally {
      await browser.close();
      child.kill('SIGTERM');
    }
  });

  it('should ship web/chat.web.ts exactly as kratos-ts proto client --target browser writes it', () => {
    const proto = fileURLToPath(new URL('../../../../samples/streaming/api/chat/v1/chat.proto', import.meta.url));
    const [g] = generateBrowserClient(new ProtoLoader().loadSync(proto), proto);
    const shipped = readFileSync(fileURLToPath(new URL('../../../../samples/streaming/web/chat.web.ts', import.meta.url)), 'utf8');
    assert.equal(g?.content, shipped, 'regenerate: kratos-ts proto client samples/streaming/api/chat/v1/chat.proto --target browser -o samples/streaming/web');
  });
});
