import protobuf from 'protobufjs';
import { FrameworkError } from '../errors/index.js';

/** A parsed google.api.http path template (docs/proto-first.md#http-from-googleapihttp): literals, `{field}` and `{field=pattern}` variables, an optional `:verb`. */
export interface PathTemplate {
  /** As written, e.g. `/v1/{name=shelves/STAR/books/STAR}` where STAR is `*`. */
  readonly source: string;
  /** The variables' field paths in camelCase, e.g. `['name']`, `['user.id']`. */
  readonly variables: readonly string[];
  /**
   * The same template in @koa/router 15 (path-to-regexp 8) syntax, matching segment by segment:
   * each `*` is its own `:pN` parameter and `**` a `*pN` wildcard, so nothing matches across `/` but `**`.
   */
  readonly routerPath: string;
  /** Field values from router parameters: `{name=shelves/*}` with p0 = '1' gives `{ name: 'shelves/1' }`. */
  fields(params: Record<string, string>): Record<string, string>;
  /** The router parameter of each variable that is one whole segment (`{id}`, `{id=*}`), by field path; the others are absent. */
  readonly segmentParams: ReadonlyMap<string, string>;
  /** The path for field values (client side), each segment percent-encoded; a value that does not fit its pattern is an error. */
  expand(lookup: (fieldPath: string) => string | undefined): string;
}

type Seg = { kind: 'literal'; text: string } | { kind: 'star'; param: string } | { kind: 'stars'; param: string };
type Part = { kind: 'segment'; seg: Seg } | { kind: 'variable'; field: string; segs: Seg[]; simple: boolean };

/** `user.display_name` -> `user.displayName`, as protobufjs names fields. */
export function toCamelPath(path: string): string {
  return path.split('.').map((p) => protobuf.util.camelCase(p)).join('.');
}

function bad(source: string, why: string): FrameworkError {
  return new FrameworkError('KRATOS_ERR_PROTO_BINDING', `path template '${source}': ${why}`);
}

// path-to-regexp 8 reserves these characters in literal text.
const escapeLiteral = (s: string): string => s.replace(/[:*{}()[\]+?!\\]/g, '\\$&');

function splitTop(body: string, source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of body) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (depth < 0) throw bad(source, 'unbalanced braces');
    if (ch === '/' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (depth !== 0) throw bad(source, 'unbalanced braces');
  out.push(cur);
  return out;
}

/** Parses a template; a malformed one fails with a coded error naming it. */
export function parsePathTemplate(source: string): PathTemplate {
  if (!source.startsWith('/')) throw bad(source, "must start with '/'");
  let body = source.slice(1);
  let verb = '';
  const lastSlash = body.lastIndexOf('/');
  const colon = body.indexOf(':', lastSlash + 1);
  if (colon !== -1 && !body.slice(colon).includes('}')) {
    verb = body.slice(colon + 1);
    body = body.slice(0, colon);
  }
  let n = 0;
  const seg = (text: string): Seg => {
    if (text === '*') return { kind: 'star', param: `p${n++}` };
    if (text === '**') return { kind: 'stars', param: `p${n++}` };
    if (text === '' || /[{}=*]/.test(text)) throw bad(source, `bad segment '${text}'`);
    return { kind: 'literal', text };
  };
  const parts: Part[] = splitTop(body, source).map((s) => {
    const v = /^\{([A-Za-z_][\w.]*)(?:=(.+))?\}$/.exec(s);
    if (v === null) return { kind: 'segment', seg: seg(s) };
    const segs = v[2] === undefined ? [seg('*')] : v[2].split('/').map(seg);
    return { kind: 'variable', field: toCamelPath(v[1] as string), segs, simple: v[2] === undefined };
  });
  const render = (s: Seg): string => (s.kind === 'literal' ? escapeLiteral(s.text) : s.kind === 'star' ? `:${s.param}` : `*${s.param}`);
  const routerPath = `/${parts.map((p) => (p.kind === 'segment' ? render(p.seg) : p.segs.map(render).join('/'))).join('/')}${verb === '' ? '' : `\\:${escapeLiteral(verb)}`}`;
  const variables = parts.filter((p) => p.kind === 'variable').map((p) => (p as { field: string }).field);
  const segmentParams = new Map<string, string>();
  for (const p of parts) if (p.kind === 'variable' && p.segs.length === 1 && p.segs[0]?.kind === 'star') segmentParams.set(p.field, p.segs[0].param);
  return {
    source,
    variables,
    routerPath,
    segmentParams,
    fields(params) {
      const out: Record<string, string> = {};
      for (const p of parts) {
        if (p.kind !== 'variable') continue;
        out[p.field] = p.segs.map((s) => (s.kind === 'literal' ? s.text : (params[s.param] ?? ''))).join('/');
      }
      return out;
    },
    expand(lookup) {
      const out = parts.map((p) => {
        if (p.kind === 'segment') {
          if (p.seg.kind !== 'literal') throw bad(source, 'an unnamed wildcard cannot be expanded');
          return p.seg.text;
        }
        const value = lookup(p.field);
        if (value === undefined || value === '') throw bad(source, `no value for field '${p.field}'`);
        // A plain `{field}` is one segment: a '/' in its value is encoded, not a separator.
        return p.simple ? encodeURIComponent(value) : fit(value, p.segs, source, p.field);
      });
      return `/${out.join('/')}${verb === '' ? '' : `:${verb}`}`;
    },
  };
}

// Checks a field value against its variable's segments and percent-encodes each segment.
function fit(value: string, segs: Seg[], source: string, field: string): string {
  const vs = value.split('/');
  const out: string[] = [];
  let i = 0;
  for (let k = 0; k < segs.length; k++) {
    const s = segs[k] as Seg;
    if (s.kind === 'stars') {
      const rest = segs.length - k - 1;
      const take = vs.slice(i, vs.length - rest);
      if (take.length === 0) throw bad(source, `'${value}' does not fit the pattern of '${field}'`);
      out.push(...take.map(encodeURIComponent));
      i += take.length;
      continue;
    }
    const v = vs[i++];
    if (v === undefined || v === '' || (s.kind === 'literal' && v !== s.text)) throw bad(source, `'${value}' does not fit the pattern of '${field}'`);
    out.push(s.kind === 'literal' ? v : encodeURIComponent(v));
  }
  if (i !== vs.length) throw bad(source, `'${value}' does not fit the pattern of '${field}'`);
  return out.join('/');
}
