import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import protobuf from 'protobufjs';
import { parseYaml } from '../../internal/index.js';
import { FrameworkError } from '../../errors/index.js';
import { check, LINT_PLACEHOLDER_ID, type RawFinding } from './checks.js';
import { indexSource, type FieldDecl, type SourceIndex } from './positions.js';
import { RULE_IDS, RULES, type Severity } from './rules.js';

/** One problem found in a .proto file. */
export interface Finding {
  file: string;
  line: number;
  col: number;
  rule: string;
  severity: Severity;
  message: string;
}

/** Severity per rule id, or 'off'. */
export type Severities = Record<string, Severity | 'off'>;

export const CONFIG_FILE = 'kratos-lint.yaml';

/** Reads a `kratos-lint.yaml` (`rules: { rule-id: error | warning | off }`), naming the file and key on a mistake. */
export function readLintConfig(path: string): Severities {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `${path}: ${(err as Error).message}`);
  }
  const rules = (doc as { rules?: unknown } | null)?.rules ?? {};
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `${path}: 'rules' must be a map of rule id to error, warning or off`);
  const out: Severities = {};
  for (const [id, v] of Object.entries(rules)) {
    if (!RULE_IDS.has(id)) throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `${path}: rules.${id}: no such rule (rules: ${[...RULE_IDS].join(', ')})`);
    if (v !== 'error' && v !== 'warning' && v !== 'off') throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `${path}: rules.${id}: '${String(v)}' is not error, warning or off`);
    out[id] = v;
  }
  return out;
}

/** The nearest kratos-lint.yaml in `dir` or a directory above it. */
export function findLintConfig(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

/** Lints one .proto file. */
export function lintFile(file: string, severities: Severities = {}): Finding[] {
  const source = readFileSync(file, 'utf8');
  const index = indexSource(source);
  const { parsed, findings } = parseTolerant(file, source, index);
  const defaults = new Map(RULES.map((r) => [r.id, r.severity]));
  const out: Finding[] = [];
  for (const f of [...findings, ...check({ file: resolve(file), parsed, pos: (key) => index.positions.get(key) })]) {
    const severity = severities[f.rule] ?? defaults.get(f.rule) ?? 'error';
    if (severity === 'off' || index.disabledFile.has(f.rule) || index.disabledFile.has('all')) continue;
    const line = f.at?.line ?? 1;
    const onLine = index.disabledLines.get(line);
    if (onLine?.has(f.rule) === true || onLine?.has('all') === true) continue;
    out.push({ file, line, col: f.at?.col ?? 1, rule: f.rule, severity, message: f.message });
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

const CLASH = /duplicate id (\d+) in Type (\w+)|id (\d+) is reserved in Type (\w+)|name '(\w+)' is reserved in Type (\w+)/;

/**
 * protobufjs refuses a file with a reused or reserved field number or name, which is what two rules
 * report: each clash found is reported, the field given a stand-in number or name, and the file parsed
 * again, so every clash and every other rule are still found.
 */
function parseTolerant(file: string, source: string, index: SourceIndex): { parsed: protobuf.IParserResult; findings: RawFinding[] } {
  const findings: RawFinding[] = [];
  const edits: { at: number; length: number; text: string }[] = [];
  for (let k = 0; ; k++) {
    let text = source;
    for (const e of [...edits].sort((a, b) => b.at - a.at)) text = text.slice(0, e.at) + e.text + text.slice(e.at + e.length);
    try {
      return { parsed: protobuf.parse(text, new protobuf.Root(), { keepCase: true, alternateCommentMode: true }), findings };
    } catch (err) {
      const message = (err as Error).message;
      const m = CLASH.exec(message);
      const inType = (m?.[2] ?? m?.[4] ?? m?.[6]) as string;
      const inMessage = (d: FieldDecl): boolean => d.message === inType || d.message.endsWith(`.${inType}`);
      const fields = index.fields.filter(inMessage);
      const number = Number(m?.[1] ?? m?.[3]);
      const decl =
        m === null || k > 200 ? undefined
        : m[1] !== undefined ? fields.filter((d) => d.number === number)[1]
        : m[3] !== undefined ? fields.find((d) => d.number === number)
        : fields.find((d) => d.name === m[5]);
      if (decl === undefined) throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${file}: ${message}`);
      const at = index.positions.get(`field:${decl.message}.${decl.name}`);
      if (m?.[1] !== undefined) {
        findings.push({ rule: 'field-number-unique', at, message: `field '${decl.name}' reuses number ${number} in ${inType}` });
        edits.push({ at: decl.numberAt, length: String(decl.number).length, text: String(LINT_PLACEHOLDER_ID + k) });
      } else if (m?.[3] !== undefined) {
        findings.push({ rule: 'field-number-reserved', at, message: `field '${decl.name}' uses reserved number ${number} in ${inType}` });
        edits.push({ at: decl.numberAt, length: String(decl.number).length, text: String(LINT_PLACEHOLDER_ID + k) });
      } else {
        findings.push({ rule: 'field-number-reserved', at, message: `field '${decl.name}' uses a reserved name in ${inType}` });
        edits.push({ at: decl.nameAt, length: decl.name.length, text: `lint_renamed_${k}` });
      }
    }
  }
}

/** The .proto files of a file or directory (skipping node_modules, third_party and dot directories). */
export function protoFilesOf(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((f) => {
      const p = join(path, f);
      if (f === 'node_modules' || f === 'third_party' || f.startsWith('.')) return [];
      return statSync(p).isDirectory() ? protoFilesOf(p) : f.endsWith('.proto') ? [p] : [];
    });
}

/** `file:line:col rule-id message`, warnings marked. */
export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.col} ${f.rule} ${f.message}${f.severity === 'warning' ? ' (warning)' : ''}`;
}
