import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpServer } from '../../../../lib/transport/http/index.js';

/** A throw-away self-signed pair for 127.0.0.1, or undefined where no openssl binary exists. */
function selfSigned(): { key: Buffer; cert: Buffer } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'kratos-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pair = selfSigned();

describe('HttpServer', () => {
  describe('having tls', () => {
    it('should serve HTTPS and advertise an https endpoint', { skip: pair === undefined && 'openssl not available' }, async () => {
      const { key, cert } = pair as { key: Buffer; cert: Buffer };
      const s = new HttpServer({ addr: '127.0.0.1:0', tls: { key, cert } });
      s.route({ method: 'GET', path: '/hello/{name}', operation: '/hello', handler: async (req: { name: string }) => ({ hi: req.name }) });
      await s.start();
      try {
        assert.equal(s.endpoint(), `https://127.0.0.1:${s.port}`);
        const body = await new Promise<string>((resolve, reject) => {
          const req = request(`${s.endpoint()}/hello/tls`, { ca: cert, agent: false }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (text += d));
            res.on('end', () => resolve(text));
          });
          req.on('error', reject);
          req.end();
        });
        assert.deepEqual(JSON.parse(body), { hi: 'tls' });
      } finally {
        await s.stop();
      }
    });
  });
});
