import protobuf from 'protobufjs';
import { parsePathTemplate, readRawHttpRules } from '../../proto/index.js';
import type { Position } from './positions.js';

/** A finding before severities and disable comments are applied. */
export interface RawFinding {
  rule: string;
  at: Position | undefined;
  message: string;
}

/** What the checks look at: the parsed file and where its declarations are. */
export interface LintTarget {
  /** Path as given, for package/directory matching. */
  file: string;
  parsed: protobuf.IParserResult;
  pos(key: string): Position | undefined;
}

const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
const VERSIONED = /\.v\d+((alpha|beta)\d*)?$/;
/** Numbers from here up stand in for clashing ones while a file is parsed (see parseTolerant). */
export const LINT_PLACEHOLDER_ID = 536_000_000;

function walk(ns: protobuf.NamespaceBase, prefix: string, out: { types: [string, protobuf.Type][]; enums: [string, protobuf.Enum][]; services: protobuf.Service[] }): void {
  for (const n of ns.nestedArray) {
    const path = prefix === '' ? n.name : `${prefix}.${n.name}`;
    if (n instanceof protobuf.Type) {
      out.types.push([path, n]);
      walk(n, path, out);
    } else if (n instanceof protobuf.Enum) out.enums.push([path, n]);
    else if (n instanceof protobuf.Service) out.services.push(n);
    else if (n instanceof protobuf.Namespace) walk(n, '', out);
  }
}

const upperSnakeOf = (pascal: string): string => pascal.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** Runs every rule over one file; severities and disable comments are applied by the caller. */
export function check(target: LintTarget): RawFinding[] {
  const out: RawFinding[] = [];
  const add = (rule: string, key: string, message: string): void => void out.push({ rule, at: target.pos(key), message });
  const { parsed } = target;
  const decl = { types: [] as [string, protobuf.Type][], enums: [] as [string, protobuf.Enum][], services: [] as protobuf.Service[] };
  walk(parsed.root, '', decl);

  const pkg = parsed.package ?? '';
  if (!VERSIONED.test(pkg)) add('package-versioned', 'package', pkg === '' ? 'the file has no package; use a versioned one such as `shop.v1`' : `package '${pkg}' has no version suffix such as '.v1'`);
  else if (!target.file.replace(/\\/g, '/').replace(/\/[^/]*$/, '').endsWith(pkg.replace(/\./g, '/'))) add('package-versioned', 'package', `package '${pkg}' should live in a directory ending in '${pkg.replace(/\./g, '/')}/'`);

  for (const [path, type] of decl.types) checkMessage(path, type, add);
  for (const [path, e] of decl.enums) checkEnum(path, e, target.file, add);
  checkServices(decl.services, decl.types, add);
  return out;
}

type Add = (rule: string, key: string, message: string) => void;

function checkMessage(path: string, type: protobuf.Type, add: Add): void {
  if (!PASCAL.test(type.name)) add('pascal-case', `message:${path}`, `message '${type.name}' should be PascalCase`);
  const reserved = (type.reserved ?? []).filter((r): r is number[] => Array.isArray(r));
  const isReserved = (n: number): boolean => reserved.some(([from, to]) => n >= (from as number) && n <= (to as number));
  const used = new Set<number>();
  for (const f of type.fieldsArray) {
    if (!SNAKE.test(f.name) && !f.name.startsWith('lint_renamed_')) add('field-snake-case', `field:${path}.${f.name}`, `field '${f.name}' of ${type.name} should be lower_snake_case`);
    if (f.id < LINT_PLACEHOLDER_ID) used.add(f.id);
  }
  const max = Math.max(0, ...used);
  const missing: number[] = [];
  for (let n = 1; n < max; n++) if (!used.has(n) && !isReserved(n) && !(n >= 19000 && n <= 19999)) missing.push(n);
  if (missing.length > 0) add('field-number-gap', `message:${path}`, `${type.name} skips field number${missing.length > 1 ? 's' : ''} ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}; reserve retired numbers`);
}

function checkEnum(path: string, e: protobuf.Enum, file: string, add: Add): void {
  const key = `enum:${path}`;
  if (!PASCAL.test(e.name)) add('pascal-case', key, `enum '${e.name}' should be PascalCase`);
  const valueOptions = (e as unknown as { valuesOptions?: Record<string, Record<string, unknown>> }).valuesOptions ?? {};
  const hasDefault = e.options?.['(errors.default_code)'] !== undefined;
  const perValue = Object.values(valueOptions).some((o) => o['(errors.code)'] !== undefined);
  const isErrorEnum = hasDefault || perValue;
  const looksLikeErrors = /(Error|Reason)s?$/.test(e.name) || /errors?(_reason)?s?\.proto$/.test(file);
  if ((perValue || looksLikeErrors) && !hasDefault) add('error-enum-default-code', key, `error enum '${e.name}' has no option (errors.default_code)`);
  const prefix = `${upperSnakeOf(e.name)}_`;
  for (const [name, num] of Object.entries(e.values)) {
    const vkey = `value:${path}.${name}`;
    if (!UPPER_SNAKE.test(name)) add('enum-value-prefix', vkey, `value '${name}' of ${e.name} should be UPPER_SNAKE_CASE`);
    else if (!isErrorEnum && !name.startsWith(prefix)) add('enum-value-prefix', vkey, `value '${name}' of ${e.name} should start with '${prefix}'`);
    if (num === 0 && !name.endsWith('_UNSPECIFIED')) add('enum-zero-unspecified', vkey, `zero value '${name}' of ${e.name} should end in _UNSPECIFIED`);
  }
  if (!Object.values(e.values).includes(0)) add('enum-zero-unspecified', key, `enum ${e.name} has no zero value; add ${prefix}UNSPECIFIED = 0`);
}

function checkServices(services: protobuf.Service[], types: [string, protobuf.Type][], add: Add): void {
  const local = new Map(types.map(([path, t]) => [path, t]));
  const firstUser = new Map<protobuf.Type, string>();
  for (const svc of services) {
    const skey = `service:${svc.name}`;
    if (!PASCAL.test(svc.name)) add('pascal-case', skey, `service '${svc.name}' should be PascalCase`);
    if (!svc.comment) add('comments', skey, `service ${svc.name} has no comment`);
    for (const m of svc.methodsArray) {
      const key = `rpc:${svc.name}.${m.name}`;
      if (!PASCAL.test(m.name)) add('pascal-case', key, `rpc '${m.name}' should be PascalCase`);
      if (!m.comment) add('comments', key, `rpc ${svc.name}.${m.name} has no comment`);
      // Messages from other packages (google.protobuf.Empty, ...) are not this API's to name or share.
      const own = (name: string): protobuf.Type | undefined => {
        const t = local.get(name.replace(/^\./, ''));
        if (t === undefined) return undefined;
        const first = firstUser.get(t);
        if (first === undefined) {
          firstUser.set(t, m.name);
          return t;
        }
        // A shared message is one finding; the name it cannot have for both rpcs is not another.
        if (first !== m.name) add('rpc-message-shared', key, `message ${t.name} is also used by rpc ${first}; give each rpc its own`);
        return undefined;
      };
      const req = own(m.requestType);
      const res = own(m.responseType);
      const badReq = req !== undefined && req.name !== `${m.name}Request`;
      const badRes = res !== undefined && res.name !== `${m.name}Reply` && res.name !== `${m.name}Response`;
      if (badReq || badRes) {
        const what = [badReq ? `request ${req?.name} (want ${m.name}Request)` : '', badRes ? `reply ${res?.name} (want ${m.name}Reply or ${m.name}Response)` : ''].filter(Boolean).join(', ');
        add('rpc-message-names', key, `rpc ${m.name}: ${what}`);
      }
      checkHttp(m, key, local.get(m.requestType.replace(/^\./, '')), add);
    }
  }
}

function checkHttp(m: protobuf.Method, key: string, req: protobuf.Type | undefined, add: Add): void {
  const rules = readRawHttpRules(m);
  if (rules.length === 0) {
    add('rpc-http-rule', key, `rpc ${m.name} has no google.api.http rule`);
    return;
  }
  for (const r of rules) {
    if ((r.method === 'GET' || r.method === 'DELETE') && r.body !== undefined) add('http-no-body', key, `${r.method} ${r.path} of ${m.name} must not have a body ('${r.body}')`);
    if (req === undefined) continue;
    let variables: readonly string[] = [];
    try {
      variables = parsePathTemplate(r.path).variables;
    } catch (err) {
      add('http-path-fields', key, `${r.method} ${r.path} of ${m.name}: ${(err as Error).message}`);
    }
    for (const v of variables) {
      const first = v.split('.')[0] as string;
      const known = req.fieldsArray.some((f) => f.name === first || toCamel(f.name) === first);
      if (!known) add('http-path-fields', key, `path variable '${v}' of ${r.path} is not a field of ${req.name}`);
    }
  }
}

const toCamel = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
