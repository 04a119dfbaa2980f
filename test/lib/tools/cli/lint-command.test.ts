import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES } from '../../../../lib/tools/lint/index.js';
import { repoPath } from '../../../helpers/echo-service.js';

const repo = repoPath('').replace(/\/$/, '');
const cli = join(repo, 'dist', 'lib', 'tools', 'cli', 'main.js');
const lint = (args: string[], cwd = repo) => spawnSync(process.execPath, [cli, 'proto', 'lint', ...args], { cwd, encoding: 'utf8' });
const FIXTURE = 'test/fixtures/lint/store/v1/all_rules.proto';

describe('kratos-ts proto lint', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kratos-lint-cli-'));
    cpSync(repoPath('test/fixtures/lint'), join(dir, 'api'), { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should print nothing and exit 0 on the helloworld protos', () => {
    const r = lint(['samples/helloworld/api']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  it('should print file:line:col rule-id message for each finding, a summary, and exit 1 on errors', () => {
    const r = lint([FIXTURE]);
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, RULES.length);
    for (const line of lines) assert.match(line, new RegExp(`^${FIXTURE.replace(/\./g, '\\.')}:\\d+:\\d+ [a-z-]+ \\S`));
    assert.deepEqual(lines.map((l) => l.split(' ')[1]).sort(), RULES.map((rule) => rule.id).sort());
    assert.match(r.stderr, /^\d+ error\(s\), \d+ warning\(s\)$/m);
  });

  it('should give the same findings as JSON with --format json', () => {
    const r = lint([FIXTURE, '--format', 'json']);
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout) as { findings: { file: string; line: number; col: number; rule: string; severity: string }[]; errors: number; warnings: number };
    assert.equal(out.findings.length, RULES.length);
    assert.equal(out.errors + out.warnings, RULES.length);
    assert.ok(out.findings.every((f) => f.line > 0 && f.col > 0 && (f.severity === 'error' || f.severity === 'warning')));
  });

  it('should take severities from kratos-lint.yaml above the protos, and exit 0 when only warnings are left', () => {
    const rules = Object.fromEntries(RULES.map((rule) => [rule.id, 'warning']));
    writeFileSync(join(dir, 'kratos-lint.yaml'), `rules:\n${Object.entries(rules).map(([id, s]) => `  ${id}: ${s}`).join('\n')}\n`);
    const r = lint(['api'], dir);
    assert.equal(r.status, 0, r.stdout);
    assert.ok(r.stdout.trim().split('\n').every((l) => l.endsWith('(warning)')));
  });

  it('should refuse an unknown --format', () => {
    const r = lint([FIXTURE, '--format', 'xml']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--format must be text or json/);
  });
});
