import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { KratosError } from '../../../lib/errors/index.js';
import { createGrpcClient, GrpcServer } from '../../../lib/transport/grpc/index.js';
import { HttpClient, HttpServer } from '../../../lib/transport/http/index.js';
import { echoService } from '../../helpers/echo-service.js';
import { makePki, type TestPki } from '../../helpers/tls.js';

type Msg = { text: string; n: number };
const svc = echoService();
const echo = async (req: Msg) => req;

describe('TLS', () => {
  let pki: TestPki;
  before(() => {
    pki = makePki();
  });

  describe('GrpcServer', () => {
    it('should serve over TLS and advertise grpcs://', async () => {
      const s = new GrpcServer({ addr: '127.0.0.1:0', tls: { key: pki.serverKey, cert: pki.serverCert } });
      s.addService(svc.fullName, svc.methods.map((m) => ({ schema: m, handler: echo })));
      await s.start();
      const c = createGrpcClient(svc, { endpoint: `127.0.0.1:${s.port}`, tls: { ca: pki.ca } });
      try {
        assert.match(s.endpoint(), /^grpcs:\/\//);
        assert.deepEqual(await (c['say'] as (r: Msg) => Promise<Msg>)({ text: 'secure', n: 1 }), { text: 'secure', n: 1, big: '0' });
      } finally {
        c.close();
        await s.stop();
      }
    });

    it('should require a client certificate under mutual TLS', async () => {
      const s = new GrpcServer({ addr: '127.0.0.1:0', tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requireClientCert: true } });
      s.addService(svc.fullName, svc.methods.map((m) => ({ schema: m, handler: echo })));
      await s.start();
      const anonymous = createGrpcClient(svc, { endpoint: `127.0.0.1:${s.port}`, tls: { ca: pki.ca }, timeout: 3000 });
      const known = createGrpcClient(svc, { endpoint: `127.0.0.1:${s.port}`, tls: { ca: pki.ca, key: pki.clientKey, cert: pki.clientCert } });
      try {
        const err = await (anonymous['say'] as (r: Msg) => Promise<Msg>)({ text: 'x', n: 0 }).catch((e: unknown) => e);
        assert.ok(KratosError.isKratosError(err));
        assert.equal(err.code, 503);
        assert.equal((await (known['say'] as (r: Msg) => Promise<Msg>)({ text: 'mtls', n: 2 })).text, 'mtls');
      } finally {
        anonymous.close();
        known.close();
        await s.stop();
      }
    });
  });

  describe('HttpServer', () => {
    it('should serve HTTPS, advertise https://, and be reachable by the client with the CA', async () => {
      const s = new HttpServer({ addr: '127.0.0.1:0', tls: { key: pki.serverKey, cert: pki.serverCert } });
      s.route({ method: 'GET', path: '/hi', operation: '/hi', handler: async () => ({ hi: true }) });
      await s.start();
      const c = new HttpClient({ endpoint: `https://127.0.0.1:${s.port}`, tls: { ca: pki.ca } });
      try {
        assert.match(s.endpoint(), /^https:\/\//);
        assert.deepEqual(await c.invoke('GET', '/hi'), { hi: true });
      } finally {
        c.close();
        await s.stop();
      }
    });
  });
});
