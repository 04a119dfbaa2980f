import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type protobuf from 'protobufjs';
import { toCanonical } from '../../../lib/encoding/index.js';
import { ProtoLoader, protoRules, type RuleViolation } from '../../../lib/proto/index.js';
import { repoPath } from '../../helpers/echo-service.js';

const EXAMPLE = repoPath('test/fixtures/kratos-examples/validate/api/example.proto');
const hour = Math.floor(Date.now() / 1000);

/** A RulesRequest (go-kratos validate fixture, kratos-ts additions) that satisfies every rule. */
export const validRules = (): Record<string, unknown> => ({
  ratio: 0.5, delta: -9, big: '999', level: 12, quota: '0', outside: -1,
  email: 'kratos@go-kratos.dev', host: 'api.go-kratos.dev', ip: '::1', ipv4: '10.0.0.1', ipv6: 'fe80::1',
  uri: 'https://go-kratos.dev/docs?q=1#top', uriRef: '../docs/intro', uuid: '3F0E6A8E-4C59-4F2C-9A1E-2F5D8C7B6A10',
  address: '127.0.0.1', headerName: 'x-request-id', headerValue: 'any\tvalue', slug: 's-mid-x', word: 'beta',
  greek: 'αβγ', posix: 'abc123',
  blob: Buffer.from([1, 2, 3]), addr: Buffer.from([127, 0, 0, 1]),
  color: 'COLOR_RED', shade: 'COLOR_GREEN',
  info: { address: 'Oslo' }, tree: { label: 'root', children: [{ label: 'leaf' }] }, skipped: { label: '' }, unchecked: { code: 'x' },
  tags: ['ab', 'cd'], nodes: [{ label: 'n' }],
  counts: { a: 1, b: 2 }, infos: { x: { address: '' } },
  phone: '13800138000',
  payload: { type_url: 'type.googleapis.com/api.example.Info', value: Buffer.alloc(0) },
  ttl: { seconds: 60 }, at: { seconds: hour - 60 }, soon: { seconds: hour + 3600 }, limit: { value: 50 },
});

describe('protoRules (protoc-gen-validate)', () => {
  let rules: (req: unknown) => RuleViolation[];
  let type: protobuf.Type;
  const check = (patch: Record<string, unknown>): RuleViolation[] => rules(toCanonical(type, { ...validRules(), ...patch }));
  const fails = (patch: Record<string, unknown>, field: string, message: RegExp): void => {
    const v = check(patch);
    assert.ok(v.some((x) => x.field === field && message.test(x.message)), `expected ${field} ~ ${message}, got ${JSON.stringify(v)}`);
  };

  before(async () => {
    const root = await new ProtoLoader().load(EXAMPLE);
    type = root.lookupType('api.example.RulesRequest');
    rules = protoRules(type) as (req: unknown) => RuleViolation[];
  });

  it('should pass a request meeting every rule', () => {
    assert.deepEqual(check({}), []);
  });

  it('should check numeric ranges, exclusive ranges, not_in and ignore_empty', () => {
    fails({ ratio: 1.5 }, 'ratio', /inside range \[0, 1\]/);
    fails({ delta: 10 }, 'delta', /inside range \(-10, 10\)/);
    fails({ big: '1000000000000' }, 'big', /less than 1000000000000/);
    fails({ level: 13 }, 'level', /not be in list \[13\]/);
    fails({ quota: '9' }, 'quota', /greater than or equal to 10/);
    fails({ outside: 50 }, 'outside', /outside range \[0, 100\]/);
    assert.deepEqual(check({ outside: 101 }), []);
  });

  it('should check every well-known string format', () => {
    for (const [field, bad] of Object.entries({
      email: 'not-an-email', host: '-bad-.example', ip: '300.1.1.1', ipv4: '::1', ipv6: '10.0.0.1', uri: '/relative',
      uriRef: 'has space', uuid: '3f0e6a8e-4c59', address: 'under_score', headerName: 'bad name', headerValue: 'a\u0000b',
    })) fails({ [field]: bad }, field, /valid/);
    fails({ ipv6: 'fe80::1%eth0' }, 'ipv6', /valid IPv6/);
    assert.deepEqual(check({ ip: '::ffff:1.2.3.4', address: 'go-kratos.dev', uri: 'urn:isbn:0451450523', email: 'Kratos <kratos@go-kratos.dev>' }), []);
    fails({ email: 'Kratos <kratos@-bad-.dev>' }, 'email', /email/);
  });

  it('should check affixes, byte length, in lists and translated RE2 patterns', () => {
    fails({ slug: 'x-mid-x' }, 'slug', /prefix "s-"/);
    fails({ slug: 's-mid-bad-x' }, 'slug', /contains substring "bad"/);
    fails({ slug: 's-mid-ééé-x' }, 'slug', /at most 12 bytes/);
    fails({ word: 'gamma' }, 'word', /in list \[alpha, beta\]/);
    fails({ greek: 'abc' }, 'greek', /regex/);
    fails({ posix: 'abc-1' }, 'posix', /regex/);
    fails({ posix: 'abc\n' }, 'posix', /regex/);
  });

  it('should check bytes lengths, prefix and raw IP forms', () => {
    fails({ blob: Buffer.from([2, 2]) }, 'blob', /prefix 01/);
    fails({ blob: Buffer.alloc(9, 1) }, 'blob', /at most 8 bytes/);
    fails({ addr: Buffer.from([1, 2, 3]) }, 'addr', /IPv4/);
  });

  it('should check enums: defined_only, in and not_in', () => {
    fails({ color: 7 }, 'color', /defined enum values/);
    fails({ color: 'COLOR_UNSPECIFIED' }, 'color', /not be in list \[0\]/);
    fails({ shade: 'COLOR_BLUE' }, 'shade', /in list \[1, 2\]/);
  });

  it('should require messages, recurse into nested and recursive ones, and honour skip and disabled', () => {
    fails({ info: null }, 'info', /required/);
    fails({ tree: { label: 'ok', children: [{ label: '1x' }] } }, 'tree.children[0].label', /regex/);
    fails({ tree: { children: [{}, {}, {}, {}] } }, 'tree.children', /no more than 3/);
    assert.deepEqual(check({ skipped: { label: '1x' }, unchecked: { code: 'toolong' } }), []);
  });

  it('should check repeated counts, uniqueness and items', () => {
    fails({ tags: [] }, 'tags', /at least 1 item/);
    fails({ tags: ['ab', 'ab'] }, 'tags', /unique/);
    fails({ tags: ['ab', 'c'] }, 'tags[1]', /at least 2 characters/);
    fails({ tags: ['aa', 'bb', 'cc', 'dd', 'ee'] }, 'tags', /no more than 4/);
  });

  it('should check map pairs, keys and values', () => {
    fails({ counts: {} }, 'counts', /at least 1 pair/);
    fails({ counts: { a: 1, b: 1, c: 1, d: 1 } }, 'counts', /no more than 3 pair/);
    fails({ counts: { A: 1 } }, 'counts[A]', /regex/);
    fails({ counts: { a: 0 } }, 'counts[a]', /greater than 0/);
  });

  it('should require one member of a required oneof and check the one set', () => {
    fails({ phone: undefined }, 'contact', /required/);
    fails({ phone: undefined, mail: 'nope' }, 'mail', /email/);
    fails({ phone: '123' }, 'phone', /11 characters/);
  });

  it('should check Any type URLs, Duration ranges, Timestamps against now, and wrapped scalars', () => {
    fails({ payload: null }, 'payload', /required/);
    fails({ payload: { type_url: 'type.googleapis.com/api.example.Node', value: Buffer.alloc(0) } }, 'payload', /type URL must be in list/);
    fails({ ttl: { seconds: 0, nanos: 5 } }, 'ttl', /inside range \[1s, 3600s\)/);
    fails({ ttl: { seconds: 3600 } }, 'ttl', /inside range/);
    fails({ at: { seconds: hour + 600 } }, 'at', /less than now/);
    fails({ soon: { seconds: hour - 600 } }, 'soon', /greater than now/);
    fails({ soon: { seconds: hour + 3 * 86400 } }, 'soon', /within 86400s/);
    fails({ limit: { value: 0 } }, 'limit', /inside range \[1, 100\]/);
    assert.deepEqual(check({ limit: null, at: null, soon: null }), []);
  });

  it('should list every violation of one request at once', () => {
    const v = check({ ratio: 2, email: 'x', tags: [], info: null });
    assert.deepEqual(v.map((x) => x.field).sort(), ['email', 'info', 'ratio', 'tags']);
  });

  it('should apply the go-kratos validate example rules, with its (?i) RE2 pattern', async () => {
    const root = await new ProtoLoader().load(EXAMPLE);
    const t = root.lookupType('api.example.Request');
    const r = protoRules(t) as (req: unknown) => RuleViolation[];
    const ok = { id: '1', age: 30, code: 2, score: 5, state: true, path: '/hello', phone: '13800138000', explain: 'abc', name: 'kratos', card: 'DEADbeef', info: {} };
    assert.deepEqual(r(toCanonical(t, ok)), []);
    const bad = r(toCanonical(t, { ...ok, id: '0', age: 120, code: 4, score: 0, state: false, card: 'xyz', info: null }));
    assert.deepEqual(bad.map((x) => x.field), ['id', 'age', 'code', 'score', 'state', 'card', 'info']);
    assert.equal(r(toCanonical(t, { ...ok, score: 99.99 }))[0]?.message, 'value must not be in list [0, 99.99]');
  });
});

describe('protoRules (buf.validate, same engine)', () => {
  it('should check maps, well-known types, formats, ignore and required oneofs', async () => {
    const root = await new ProtoLoader().load(repoPath('test/fixtures/validate/buf-more.proto'));
    const t = root.lookupType('more.v1.Req');
    const rules = protoRules(t) as (req: unknown) => RuleViolation[];
    const ok = { quotas: { ab: '5' }, ttl: { seconds: 60 }, at: { seconds: 1 }, header: 'x-id', ids: ['3f0e6a8e-4c59-4f2c-9a1e-2f5d8c7b6a10'], free: 'short', user: 'u', both: 'ab', inner: { x: 'y' } };
    assert.deepEqual(rules(toCanonical(t, ok)), []);
    const bad = rules(toCanonical(t, { quotas: { a: '0' }, ttl: { seconds: 61 }, at: { seconds: 4102444800 }, host: 'bad_host', header: 'no spaces', ids: [], both: 'abcd', inner: { x: 'yz' } }));
    assert.deepEqual(bad.map((v) => `${v.field}: ${v.message}`), [
      'who: value is required',
      'quotas[a]: value length must be at least 2 characters',
      'quotas[a]: value must be greater than 0',
      'ttl: value must be less than or equal to 60s',
      'at: value must be less than now',
      'host: value must be a valid hostname',
      'header: value must be a valid HTTP header name',
      'ids: value is required',
      'both: value length must be at most 3 characters',
      'inner.x: value length must be 1 characters',
    ]);
    assert.deepEqual(rules(toCanonical(t, { ...ok, both: 'a', inner: null })).map((v) => `${v.field}: ${v.message}`), [
      'both: value length must be at least 2 characters',
      'inner: value is required',
    ]);
    assert.deepEqual(rules(toCanonical(t, { ...ok, ids: ['nope'] })).map((v) => v.field), ['ids[0]']);
    // protovalidate takes a bare address only (protoc-gen-validate also reads `Name <address>`).
    assert.deepEqual(rules(toCanonical(t, { ...ok, mail: 'Kratos <kratos@go-kratos.dev>' })).map((v) => v.field), ['mail']);
    assert.deepEqual(rules(toCanonical(t, { ...ok, mail: 'kratos@go-kratos.dev' })), []);
  });
});
