#!/usr/bin/env node
// Rewrites the `§N` references in lib/ and decorators/ comments into links to the page of docs/ that
// explains the contract (`(§4)` -> `(docs/errors-and-metadata.md#errors)`). The numbers pointed to a
// Kratos reference kept outside the repository; the docs now say what we match and how.
//
//   node scripts/replace-spec-refs.mjs             rewrite the files in place
//   node scripts/replace-spec-refs.mjs --check     list what would change, write nothing
//   node scripts/replace-spec-refs.mjs --root DIR  work on DIR/lib and DIR/decorators (a copy)
//
// A section number with no link below fails the run before anything is written, naming file and line:
// add it to SECTIONS (and, if no page explains it yet, a section to docs/).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page and heading for each section number, wherever it is cited. */
export const SECTIONS = {
  1: 'docs/architecture.md#start-and-stop-order',
  2: 'docs/architecture.md#transports-servers-contexts-and-headers',
  '2.1': 'docs/architecture.md#transports-servers-contexts-and-headers',
  '2.2': 'docs/registry.md#registering',
  '2.3': 'docs/architecture.md#one-http-call',
  '2.4': 'docs/proto-first.md#clients',
  '2.5': 'docs/proto-first.md#grpc-server',
  '2.6': 'docs/proto-first.md#clients',
  3: 'docs/proto-first.md#http-from-googleapihttp',
  4: 'docs/errors-and-metadata.md#errors',
  5: 'docs/errors-and-metadata.md#metadata',
  6: 'docs/architecture.md#middleware',
  7: 'docs/config-and-logging.md#configuration',
  8: 'docs/config-and-logging.md#logging',
  9: 'docs/observability.md#tracing',
  10: 'docs/proto-first.md#codecs',
  11: 'docs/registry.md#balancers-and-filters',
  12: 'docs/resilience-and-security.md#resilience-and-security',
  13: 'docs/observability.md#health-and-readiness',
  14: 'docs/cli.md#the-kratos-ts-cli',
  '15b.9': 'docs/registry.md#balancers-and-filters',
};

/**
 * Where a file cites a section for one part of it, a closer heading: keyed by the end of the file's
 * path (so a file moved to another folder still matches) and the section number.
 */
export const BY_FILE = {
  'errors/grpc-codes.ts': { 4: 'docs/errors-and-metadata.md#http-and-grpc-codes' },
  'errors/grpc-status.ts': { 4: 'docs/errors-and-metadata.md#on-the-wire' },
  'errors/kratos-error.ts': { 6: 'docs/errors-and-metadata.md#recovery' },
  'grpc/call-handlers.ts': { 4: 'docs/errors-and-metadata.md#on-the-wire' },
  'http/reply.ts': { 4: 'docs/errors-and-metadata.md#on-the-wire' },
  'codegen/openapi.ts': { 4: 'docs/errors-and-metadata.md#on-the-wire' },
  'codegen/ts-errors.ts': { 4: 'docs/errors-and-metadata.md#error-enums' },
  'proto/error-helpers.ts': { 4: 'docs/errors-and-metadata.md#error-enums' },
  'proto/error-enums.ts': { 4: 'docs/errors-and-metadata.md#error-enums' },
  'errors/errors.proto': { 4: 'docs/errors-and-metadata.md#error-enums' },
  'recovery/recovery.ts': { 6: 'docs/errors-and-metadata.md#recovery' },
  'logging/logging.ts': { 6: 'docs/config-and-logging.md#the-access-log' },
  'app/options.ts': { 6: 'docs/config-and-logging.md#the-access-log' },
  'metrics/metrics.ts': { 6: 'docs/observability.md#metrics' },
  'metrics/meter.ts': { 6: 'docs/observability.md#metrics', 9: 'docs/observability.md#metrics' },
  'app/observability.ts': { 9: 'docs/observability.md#metrics-tracing-health' },
  'auth/jwt-errors.ts': { 6: 'docs/resilience-and-security.md#jwt-authentication' },
  'resilience/rate-limit.ts': { 6: 'docs/resilience-and-security.md#rate-limiting-server' },
  'resilience/limiter.ts': { 12: 'docs/resilience-and-security.md#rate-limiting-server' },
  'resilience/bbr-limiter.ts': { 12: 'docs/resilience-and-security.md#rate-limiting-server' },
  'resilience/circuit-breaker.ts': { 6: 'docs/resilience-and-security.md#circuit-breaker-client' },
  'resilience/sre-breaker.ts': { 12: 'docs/resilience-and-security.md#circuit-breaker-client' },
  'app/app.ts': { 11: 'docs/registry.md#registering' },
  'registry/registry.ts': { 11: 'docs/registry.md#registering' },
  'registry/etcd-registry.ts': { 11: 'docs/registry.md#registering' },
  'transport/endpoint.ts': { 2.4: 'docs/registry.md#client-endpoints', 2.6: 'docs/registry.md#client-endpoints' },
  'transport/resolver.ts': { 2.4: 'docs/registry.md#discovering', 2.6: 'docs/registry.md#discovering' },
};

/** References by name rather than number (`§ the cache layer`). */
export const NAMED = {
  'the cache layer': 'docs/cache.md#the-cache-layer',
};

const REF = '§\\d+[a-z]?(?:\\.\\d+)?';
// A run of references (`§2.4, §2.6, §11`), optionally introduced by "reference", and a trailing word
// that only repeated what the heading now says (`§9 tracing` -> `...#tracing`).
const GROUP = new RegExp(`(?:reference )?${REF}(?:,? ${REF})*(?: (tracing|metrics|recovery)\\b)?`, 'g');
const ONE = new RegExp(REF, 'g');
const HAS_REF = new RegExp(REF);
const TEXT = /\.(ts|mts|cts|js|mjs|proto|tpl|md|json|ya?ml)$/;

function files(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : TEXT.test(name) ? [p] : [];
  });
}

function linkFor(file, section) {
  for (const [suffix, links] of Object.entries(BY_FILE)) {
    if (file.endsWith(suffix) && links[section] !== undefined) return links[section];
  }
  return SECTIONS[section];
}

/** The text with every reference group replaced; `unknown` collects sections with no link. */
export function rewrite(text, file, unknown) {
  let named = text;
  for (const [name, link] of Object.entries(NAMED)) named = named.replaceAll(`§ ${name}`, link);
  const out = named.replace(GROUP, (group, word, offset) => {
    const links = [];
    for (const ref of group.match(ONE)) {
      const link = linkFor(file, ref.slice(1));
      if (link === undefined) {
        unknown.push(`${file}:${text.slice(0, offset).split('\n').length}: ${ref} has no link`);
        continue;
      }
      if (!links.includes(link)) links.push(link);
    }
    if (links.length === 0) return group;
    const tail = word === undefined || links.some((l) => l.endsWith(`#${word}`)) ? '' : ` ${word}`;
    return links.join(', ') + tail;
  });
  // Anything else with a § (a bare sign, an unknown name) is reported rather than left behind.
  out.split('\n').forEach((line, i) => {
    if (line.includes('§') && !HAS_REF.test(line)) unknown.push(`${file}:${i + 1}: '${line.trim()}' has a § the script does not know`);
  });
  return out;
}

function main(argv) {
  const check = argv.includes('--check');
  const at = argv.indexOf('--root');
  const root = at === -1 ? resolve(dirname(fileURLToPath(import.meta.url)), '..') : resolve(argv[at + 1] ?? '.');
  const unknown = [];
  const changes = [];
  for (const file of [...files(join(root, 'lib')), ...files(join(root, 'decorators'))]) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('§')) continue;
    const rel = relative(root, file).split(sep).join('/');
    const out = rewrite(text, rel, unknown);
    if (out !== text) changes.push({ file, rel, out, count: (text.match(/§/g) ?? []).length });
  }
  if (unknown.length > 0) {
    console.error(`no link for ${unknown.length} reference(s); nothing written:\n  ${unknown.join('\n  ')}`);
    return 1;
  }
  for (const c of changes) {
    if (!check) writeFileSync(c.file, c.out);
    console.log(`${check ? 'would rewrite' : 'rewrote'} ${c.rel} (${c.count})`);
  }
  const total = changes.reduce((n, c) => n + c.count, 0);
  console.log(`${total} reference(s) in ${changes.length} file(s)${check ? ' (check only, nothing written)' : ''}`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
