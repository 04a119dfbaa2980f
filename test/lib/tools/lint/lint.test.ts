import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameworkError } from '../../../../lib/errors/index.js';
import { protoTemplate } from '../../../../lib/tools/codegen/index.js';
import { lintFile, protoFilesOf, readLintConfig, RULES } from '../../../../lib/tools/lint/index.js';
import { repoPath } from '../../../helpers/echo-service.js';

const HEADER = 'syntax = "proto3";\npackage t.v1;\nimport "google/api/annotations.proto";\nimport "errors/errors.proto";\n';
const SERVICE = (rpcs: string): string => `// The T API.\nservice T {\n${rpcs}\n}\n`;
const RPC = (name: string, req: string, res: string, http = 'get: "/v1/t"'): string => `  // ${name} does it.\n  rpc ${name} (${req}) returns (${res}) {\n    option (google.api.http) = { ${http} };\n  }`;
const MSGS = (...names: string[]): string => names.map((n) => `message ${n} { string id = 1; }`).join('\n');

// For each rule: a file body that breaks it and one that does not.
const CASES: Record<string, { bad: string; good: string }> = {
  'package-versioned': { bad: 'syntax = "proto3";\npackage t;\n', good: 'syntax = "proto3";\npackage t.v1;\n' },
  'pascal-case': { bad: `${HEADER}message bad_name { string id = 1; }`, good: `${HEADER}message GoodName { string id = 1; }` },
  'field-snake-case': { bad: `${HEADER}message M { string userId = 1; }`, good: `${HEADER}message M { string user_id = 1; }` },
  'enum-value-prefix': { bad: `${HEADER}enum Kind { KIND_UNSPECIFIED = 0; BIG = 1; }`, good: `${HEADER}enum Kind { KIND_UNSPECIFIED = 0; KIND_BIG = 1; }` },
  'enum-zero-unspecified': { bad: `${HEADER}enum Kind { KIND_NONE = 0; KIND_BIG = 1; }`, good: `${HEADER}enum Kind { KIND_UNSPECIFIED = 0; KIND_BIG = 1; }` },
  'rpc-http-rule': {
    bad: `${HEADER}${SERVICE('  // Get does it.\n  rpc Get (GetRequest) returns (GetReply);')}${MSGS('GetRequest', 'GetReply')}`,
    good: `${HEADER}${SERVICE(RPC('Get', 'GetRequest', 'GetReply'))}${MSGS('GetRequest', 'GetReply')}`,
  },
  'http-no-body': {
    bad: `${HEADER}${SERVICE(RPC('Get', 'GetRequest', 'GetReply', 'get: "/v1/t" body: "*"'))}${MSGS('GetRequest', 'GetReply')}`,
    good: `${HEADER}${SERVICE(RPC('Get', 'GetRequest', 'GetReply', 'post: "/v1/t" body: "*"'))}${MSGS('GetRequest', 'GetReply')}`,
  },
  'http-path-fields': {
    bad: `${HEADER}${SERVICE(RPC('Get', 'GetRequest', 'GetReply', 'get: "/v1/t/{name}"'))}${MSGS('GetRequest', 'GetReply')}`,
    good: `${HEADER}${SERVICE(RPC('Get', 'GetRequest', 'GetReply', 'get: "/v1/t/{id}"'))}${MSGS('GetRequest', 'GetReply')}`,
  },
  'rpc-message-names': {
    bad: `${HEADER}${SERVICE(RPC('Get', 'Query', 'GetReply'))}${MSGS('Query', 'GetReply')}`,
    good: `${HEADER}${SERVICE(RPC('Get', 'GetRequest', 'GetResponse'))}${MSGS('GetRequest', 'GetResponse')}`,
  },
  'rpc-message-shared': {
    bad: `${HEADER}${SERVICE(`${RPC('Get', 'GetRequest', 'GetReply')}\n${RPC('Find', 'GetRequest', 'FindReply', 'get: "/v1/t:find"')}`)}${MSGS('GetRequest', 'GetReply', 'FindReply')}`,
    good: `${HEADER}${SERVICE(`${RPC('Get', 'GetRequest', 'GetReply')}\n${RPC('Find', 'FindRequest', 'FindReply', 'get: "/v1/t:find"')}`)}${MSGS('GetRequest', 'GetReply', 'FindRequest', 'FindReply')}`,
  },
  'field-number-unique': { bad: `${HEADER}message M { string a = 1; string b = 1; }`, good: `${HEADER}message M { string a = 1; string b = 2; }` },
  'field-number-gap': { bad: `${HEADER}message M { string a = 1; string c = 3; }`, good: `${HEADER}message M { reserved 2; string a = 1; string c = 3; }` },
  'field-number-reserved': { bad: `${HEADER}message M { reserved 2, 3; reserved "b"; string a = 1; string b = 4; }`, good: `${HEADER}message M { reserved 2, 3; string a = 1; string d = 4; }` },
  'error-enum-default-code': {
    bad: `${HEADER}enum ErrorReason { ERROR_REASON_UNSPECIFIED = 0; NOT_FOUND = 1 [(errors.code) = 404]; }`,
    good: `${HEADER}enum ErrorReason { option (errors.default_code) = 500; ERROR_REASON_UNSPECIFIED = 0; NOT_FOUND = 1 [(errors.code) = 404]; }`,
  },
  comments: {
    bad: `${HEADER}service T {\n  rpc Get (GetRequest) returns (GetReply) { option (google.api.http) = { get: "/v1/t" }; }\n}\n${MSGS('GetRequest', 'GetReply')}`,
    good: `${HEADER}${SERVICE(RPC('Get', 'GetRequest', 'GetReply'))}${MSGS('GetRequest', 'GetReply')}`,
  },
};

let dir: string;
let n = 0;
function protoFile(body: string): string {
  const d = join(dir, `c${n++}`, 't', 'v1');
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'api.proto'), body);
  return join(d, 'api.proto');
}
const rulesOf = (file: string): string[] => lintFile(file).map((f) => f.rule);

describe('proto lint', () => {
  before(() => (dir = mkdtempSync(join(tmpdir(), 'kratos-lint-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should have a case in this file for every rule', () => {
    assert.deepEqual(Object.keys(CASES).sort(), RULES.map((r) => r.id).sort());
  });

  for (const [rule, { bad, good }] of Object.entries(CASES)) {
    describe(rule, () => {
      it('should report a file that breaks it', () => assert.ok(rulesOf(protoFile(bad)).includes(rule), `no ${rule} in ${JSON.stringify(lintFile(protoFile(bad)))}`));
      it('should accept a file that keeps it', () => assert.ok(!rulesOf(protoFile(good)).includes(rule), JSON.stringify(lintFile(protoFile(good)))));
    });
  }

  it('should report every rule exactly once, at its line and column, on the fixture that breaks them all', () => {
    const findings = lintFile(repoPath('test/fixtures/lint/store/v1/all_rules.proto'));
    const at = Object.fromEntries(findings.map((f) => [f.rule, `${f.line}:${f.col}`]));
    assert.equal(findings.length, RULES.length);
    assert.deepEqual(at, {
      'package-versioned': '3:9',
      'rpc-message-names': '11:7',
      'http-no-body': '15:7',
      'http-path-fields': '19:7',
      'rpc-message-shared': '23:7',
      'rpc-http-rule': '27:7',
      comments: '28:7',
      'field-snake-case': '36:10',
      'field-number-unique': '42:10',
      'field-number-gap': '45:9',
      'field-number-reserved': '52:10',
      'pascal-case': '58:9',
      'enum-value-prefix': '62:3',
      'enum-zero-unspecified': '66:3',
      'error-enum-default-code': '70:6',
    });
  });

  it('should find nothing in the helloworld protos or in a proto made by `proto add`', () => {
    for (const file of protoFilesOf(repoPath('samples/helloworld/api'))) assert.deepEqual(lintFile(file), [], file);
    const file = protoFile('');
    writeFileSync(file, protoTemplate('api/t/v1/api.proto'));
    assert.deepEqual(lintFile(file), []);
  });

  describe('disable comments', () => {
    const bad = `${HEADER}message M {\n  string userId = 1;\n  string otherId = 2;\n}\n`;
    it('should skip a rule on the next line', () => {
      const f = lintFile(protoFile(bad.replace('  string userId', '  // kratos-lint:disable-next-line field-snake-case -- legacy\n  string userId')));
      assert.deepEqual(f.map((x) => x.message.split("'")[1]), ['otherId']);
    });
    it('should skip a rule on its own line', () => {
      const f = lintFile(protoFile(bad.replace('string userId = 1;', 'string userId = 1; // kratos-lint:disable-line field-snake-case')));
      assert.deepEqual(f.map((x) => x.message.split("'")[1]), ['otherId']);
    });
    it('should skip a rule in the whole file, or every rule with all', () => {
      assert.deepEqual(lintFile(protoFile(`// kratos-lint:disable-file field-snake-case\n${bad}`)), []);
      assert.deepEqual(lintFile(protoFile(`// kratos-lint:disable-file all\n${bad.replace('package t.v1', 'package t')}`)), []);
    });
  });

  describe('severities', () => {
    it('should turn a rule off or change its severity', () => {
      const file = protoFile(CASES['field-snake-case']?.bad ?? '');
      assert.deepEqual(lintFile(file, { 'field-snake-case': 'off' }), []);
      assert.equal(lintFile(file, { 'field-snake-case': 'warning' })[0]?.severity, 'warning');
    });

    it('should read them from a config file, naming the file and key when it is wrong', () => {
      const good = join(dir, 'good.yaml');
      writeFileSync(good, 'rules:\n  comments: error\n  rpc-http-rule: off\n');
      assert.deepEqual(readLintConfig(good), { comments: 'error', 'rpc-http-rule': 'off' });
      const unknown = join(dir, 'unknown.yaml');
      writeFileSync(unknown, 'rules:\n  no-such-rule: off\n');
      assert.throws(() => readLintConfig(unknown), (e: unknown) => FrameworkError.isFrameworkError(e) && e.message.includes(unknown) && e.message.includes('rules.no-such-rule'));
      const level = join(dir, 'level.yaml');
      writeFileSync(level, 'rules:\n  comments: loud\n');
      assert.throws(() => readLintConfig(level), /rules\.comments: 'loud' is not error, warning or off/);
    });
  });

  it('should name the file when it cannot be parsed', () => {
    const file = protoFile(`${HEADER}message M { string a = ; }`);
    assert.throws(() => lintFile(file), (e: unknown) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_PROTO_INVALID' && e.message.includes(file));
  });
});
