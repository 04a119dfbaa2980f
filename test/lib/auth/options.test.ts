import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, type CryptoKey } from 'jose';
import { jwtClient, jwtServer, type JwtClientOptions, type JwtServerOptions } from '../../../lib/auth/index.js';
import { FrameworkError } from '../../../lib/errors/index.js';

const invalid = (err: unknown): boolean => FrameworkError.isFrameworkError(err) && err.code === 'KRATOS_ERR_OPTIONS_INVALID';
const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';

describe('jwtServer', () => {
  describe('having invalid options', () => {
    let publicKey: CryptoKey;
    before(async () => {
      ({ publicKey } = await generateKeyPair('ES256'));
    });

    const cases: [string, () => JwtServerOptions][] = [
      ['no key source', () => ({ algorithms: ['HS256'] })],
      ['both key and jwksUrl', () => ({ key: SECRET, jwksUrl: 'https://idp/jwks', algorithms: ['HS256'] })],
      ['both key and keyFunction', () => ({ key: SECRET, keyFunction: () => SECRET, algorithms: ['HS256'] })],
      ['an empty algorithm list', () => ({ key: SECRET, algorithms: [] })],
      ['no algorithm list', () => ({ key: SECRET }) as unknown as JwtServerOptions],
      ["algorithm 'none'", () => ({ keyFunction: () => SECRET, algorithms: ['HS256', 'none'] })],
      ['a secret with RS256', () => ({ key: SECRET, algorithms: ['RS256'] })],
      ['a public key with HS256', () => ({ key: publicKey, algorithms: ['ES256', 'HS256'] })],
      ['a jwksUrl that is not http(s)', () => ({ jwksUrl: 'file:///etc/jwks.json', algorithms: ['RS256'] })],
      ['a malformed jwksUrl', () => ({ jwksUrl: 'not a url', algorithms: ['RS256'] })],
      ['a negative clockTolerance', () => ({ key: SECRET, algorithms: ['HS256'], clockTolerance: -1 })],
      ['a claimsSchema that is no Standard Schema', () => ({ key: SECRET, algorithms: ['HS256'], claimsSchema: {} as never })],
    ];
    for (const [label, options] of cases) {
      it(`should throw KRATOS_ERR_OPTIONS_INVALID for ${label}`, () => {
        assert.throws(() => jwtServer(options()), invalid);
      });
    }
  });
});

describe('jwtClient', () => {
  describe('having invalid options', () => {
    const cases: [string, JwtClientOptions][] = [
      ['no key', { algorithm: 'HS256' } as unknown as JwtClientOptions],
      ['no algorithm', { key: SECRET, algorithm: '' }],
      ["algorithm 'none'", { key: SECRET, algorithm: 'none' }],
      ['a zero expiresIn', { key: SECRET, algorithm: 'HS256', expiresIn: 0 }],
    ];
    for (const [label, options] of cases) {
      it(`should throw KRATOS_ERR_OPTIONS_INVALID for ${label}`, () => {
        assert.throws(() => jwtClient(options), invalid);
      });
    }
  });
});
