// ---- runtime: proto3 binary and JSON, gRPC-Web and HTTP over fetch (no Node imports) ----

/** A failed call: the Kratos error (`code` is the HTTP-style code, `reason` the domain reason). */
export class RpcError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly metadata: Record<string, string>;
  /** The gRPC status code, for calls made over gRPC-Web. */
  readonly grpcStatus: number | undefined;

  constructor(code: number, reason: string, message: string, metadata: Record<string, string> = {}, grpcStatus?: number) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.reason = reason;
    this.metadata = metadata;
    this.grpcStatus = grpcStatus;
  }
}

/** Where and how a client calls. */
export interface WebClientOptions {
  /** The server's HTTP origin, e.g. `https://api.example.com` or `''` for the page's own. */
  baseUrl: string;
  /** Headers sent with every call (authorization, x-md-global-* metadata). */
  headers?: Record<string, string>;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
}

/** Per-call options. */
export interface WebCallOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Deadline in ms: `grpc-timeout` on gRPC-Web, an abort of the request on HTTP. */
  timeoutMs?: number;
}

type $Kind = 'double' | 'float' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'sint32' | 'sint64' | 'fixed32' | 'fixed64' | 'sfixed32' | 'sfixed64' | 'bool' | 'string' | 'bytes' | 'enum' | 'message';

interface $Field {
  readonly no: number;
  readonly name: string;
  /** For a map: the kind of its values. */
  readonly kind: $Kind;
  readonly label?: 'repeated' | 'optional' | 'map';
  readonly type?: () => $Message | $Enum;
  /** For a map: the kind of its keys. */
  readonly key?: $Kind;
}

interface $Message {
  readonly fields: readonly $Field[];
}

interface $Enum {
  readonly names: readonly (readonly [number, string])[];
}

interface $Rule {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly responseBody: string;
}

type $Obj = Record<string, unknown>;
const $LONG: ReadonlySet<$Kind> = new Set<$Kind>(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const $utf8 = new TextEncoder();
const $fromUtf8 = new TextDecoder();

function $enumName(e: $Enum, n: number): string | number {
  return e.names.find(([v]) => v === n)?.[1] ?? n;
}

function $enumNumber(e: $Enum, v: unknown): number {
  if (typeof v === 'number') return v;
  return e.names.find(([, name]) => name === v)?.[0] ?? 0;
}

function $default(f: $Field): unknown {
  if (f.label === 'map') return {};
  if (f.label === 'repeated') return [];
  if (f.kind === 'message') return null;
  if (f.kind === 'enum') return $enumName(f.type?.() as $Enum, 0);
  if (f.kind === 'string') return '';
  if (f.kind === 'bool') return false;
  if (f.kind === 'bytes') return new Uint8Array(0);
  return $LONG.has(f.kind) ? '0' : 0;
}

function $defaults(m: $Message): $Obj {
  const out: $Obj = {};
  for (const f of m.fields) if (f.label !== 'optional') out[f.name] = $default(f);
  return out;
}

class $Writer {
  bytes: number[] = [];

  varint(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    while (x > 127n) {
      this.bytes.push(Number(x & 127n) | 128);
      x >>= 7n;
    }
    this.bytes.push(Number(x));
  }

  tag(no: number, wire: number): void {
    this.varint(BigInt((no << 3) | wire));
  }

  fixed(size: 4 | 8, put: (dv: DataView) => void): void {
    const dv = new DataView(new ArrayBuffer(size));
    put(dv);
    for (let i = 0; i < size; i++) this.bytes.push(dv.getUint8(i));
  }

  chunk(b: Uint8Array): void {
    this.varint(BigInt(b.length));
    for (const x of b) this.bytes.push(x);
  }
}

function $wire(kind: $Kind): number {
  if (kind === 'double' || kind === 'fixed64' || kind === 'sfixed64') return 1;
  if (kind === 'float' || kind === 'fixed32' || kind === 'sfixed32') return 5;
  return kind === 'string' || kind === 'bytes' || kind === 'message' ? 2 : 0;
}

function $scalar(w: $Writer, f: $Field, kind: $Kind, v: unknown): void {
  const big = (): bigint => BigInt(typeof v === 'boolean' ? Number(v) : (v as string | number | bigint));
  switch (kind) {
    case 'double': return w.fixed(8, (dv) => dv.setFloat64(0, Number(v), true));
    case 'float': return w.fixed(4, (dv) => dv.setFloat32(0, Number(v), true));
    case 'fixed32': return w.fixed(4, (dv) => dv.setUint32(0, Number(v), true));
    case 'sfixed32': return w.fixed(4, (dv) => dv.setInt32(0, Number(v), true));
    case 'fixed64': return w.fixed(8, (dv) => dv.setBigUint64(0, BigInt.asUintN(64, big()), true));
    case 'sfixed64': return w.fixed(8, (dv) => dv.setBigInt64(0, BigInt.asIntN(64, big()), true));
    case 'sint32':
    case 'sint64': {
      const n = big();
      return w.varint(n >= 0n ? n << 1n : (-n << 1n) - 1n);
    }
    case 'bool': return w.varint(v === true ? 1n : 0n);
    case 'enum': return w.varint(BigInt($enumNumber(f.type?.() as $Enum, v)));
    case 'string': return w.chunk($utf8.encode(String(v)));
    case 'bytes': return w.chunk(v as Uint8Array);
    case 'message': return w.chunk($encode(f.type?.() as $Message, v as $Obj));
    default: return w.varint(big());
  }
}

function $isDefault(f: $Field, v: unknown): boolean {
  if (f.label === 'optional' || f.kind === 'message') return false;
  if (f.kind === 'enum') return $enumNumber(f.type?.() as $Enum, v) === 0;
  if (f.kind === 'bytes') return (v as Uint8Array).length === 0;
  return v === '' || v === false || v === 0 || v === '0' || v === 0n;
}

/** A message (any subset of its fields) in the proto3 binary format. */
function $encode(m: $Message, obj: $Obj): Uint8Array {
  const w = new $Writer();
  for (const f of m.fields) {
    const v = obj[f.name];
    if (v === undefined || v === null) continue;
    if (f.label === 'map') {
      const keyField: $Field = { no: 1, name: 'k', kind: f.key ?? 'string' };
      for (const [k, x] of Object.entries(v as $Obj)) {
        const e = new $Writer();
        e.tag(1, $wire(keyField.kind));
        $scalar(e, keyField, keyField.kind, keyField.kind === 'bool' ? k === 'true' : k);
        e.tag(2, $wire(f.kind));
        $scalar(e, f, f.kind, x);
        w.tag(f.no, 2);
        w.chunk(new Uint8Array(e.bytes));
      }
    } else if (f.label === 'repeated') {
      const items = v as unknown[];
      if ($wire(f.kind) === 2) {
        for (const x of items) {
          w.tag(f.no, 2);
          $scalar(w, f, f.kind, x);
        }
      } else if (items.length > 0) {
        const p = new $Writer();
        for (const x of items) $scalar(p, f, f.kind, x);
        w.tag(f.no, 2);
        w.chunk(new Uint8Array(p.bytes));
      }
    } else if (!$isDefault(f, v)) {
      w.tag(f.no, $wire(f.kind));
      $scalar(w, f, f.kind, v);
    }
  }
  return new Uint8Array(w.bytes);
}

class $Reader {
  pos = 0;
  readonly dv: DataView;

  constructor(readonly buf: Uint8Array) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  varint(): bigint {
    let out = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new RpcError(500, 'CODEC', 'truncated message');
      out |= BigInt(b & 127) << shift;
      if (b < 128) return out;
    }
  }

  take(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new RpcError(500, 'CODEC', 'truncated message');
    this.pos += n;
    return this.buf.subarray(this.pos - n, this.pos);
  }
}

function $read(r: $Reader, f: $Field, kind: $Kind): unknown {
  switch (kind) {
    case 'double': return r.dv.getFloat64((r.pos += 8) - 8, true);
    case 'float': return r.dv.getFloat32((r.pos += 4) - 4, true);
    case 'fixed32': return r.dv.getUint32((r.pos += 4) - 4, true);
    case 'sfixed32': return r.dv.getInt32((r.pos += 4) - 4, true);
    case 'fixed64': return r.dv.getBigUint64((r.pos += 8) - 8, true).toString();
    case 'sfixed64': return r.dv.getBigInt64((r.pos += 8) - 8, true).toString();
    case 'string': return $fromUtf8.decode(r.take(Number(r.varint())));
    case 'bytes': return r.take(Number(r.varint())).slice();
    case 'message': return $decode(f.type?.() as $Message, r.take(Number(r.varint())));
    default: break;
  }
  const v = r.varint();
  switch (kind) {
    case 'bool': return v !== 0n;
    case 'enum': return $enumName(f.type?.() as $Enum, Number(BigInt.asIntN(32, v)));
    case 'int32': return Number(BigInt.asIntN(32, v));
    case 'uint32': return Number(BigInt.asUintN(32, v));
    case 'sint32': return Number((v >> 1n) ^ -(v & 1n));
    case 'sint64': return ((v >> 1n) ^ -(v & 1n)).toString();
    case 'uint64': return BigInt.asUintN(64, v).toString();
    default: return BigInt.asIntN(64, v).toString();
  }
}

function $skip(r: $Reader, wire: number): void {
  if (wire === 0) r.varint();
  else if (wire === 1) r.take(8);
  else if (wire === 5) r.take(4);
  else if (wire === 2) r.take(Number(r.varint()));
  else throw new RpcError(500, 'CODEC', `unsupported wire type ${wire}`);
}

/** A message from the proto3 binary format, in canonical form (defaults filled in). */
function $decode(m: $Message, buf: Uint8Array): $Obj {
  const out = $defaults(m);
  const r = new $Reader(buf);
  while (r.pos < buf.length) {
    const tag = Number(r.varint());
    const no = tag >>> 3;
    const wire = tag & 7;
    const f = m.fields.find((x) => x.no === no);
    if (f === undefined) {
      $skip(r, wire);
      continue;
    }
    if (f.label === 'map') {
      const entry = new $Reader(r.take(Number(r.varint())));
      let key: unknown = $default({ no: 1, name: 'k', kind: f.key ?? 'string' });
      let value: unknown = $default(f.type === undefined ? { no: 2, name: 'v', kind: f.kind } : { no: 2, name: 'v', kind: f.kind, type: f.type });
      while (entry.pos < entry.buf.length) {
        const t = Number(entry.varint());
        if (t >>> 3 === 1) key = $read(entry, f, f.key ?? 'string');
        else if (t >>> 3 === 2) value = $read(entry, f, f.kind);
        else $skip(entry, t & 7);
      }
      (out[f.name] as $Obj)[String(key)] = value;
    } else if (f.label === 'repeated') {
      const list = out[f.name] as unknown[];
      if (wire === 2 && $wire(f.kind) !== 2) {
        const packed = new $Reader(r.take(Number(r.varint())));
        while (packed.pos < packed.buf.length) list.push($read(packed, f, f.kind));
      } else list.push($read(r, f, f.kind));
    } else if (f.kind === 'message' && out[f.name] !== null && out[f.name] !== undefined) {
      // A message field seen twice merges, as the spec says; here the later fields win.
      Object.assign(out[f.name] as $Obj, $read(r, f, f.kind));
    } else out[f.name] = $read(r, f, f.kind);
  }
  return out;
}

function $base64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

function $unbase64(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function $jsonValue(f: $Field, kind: $Kind, v: unknown, toJson: boolean): unknown {
  if (kind === 'bytes') return toJson ? $base64(v as Uint8Array) : $unbase64(String(v));
  if (kind === 'message') return toJson ? $toJson(f.type?.() as $Message, v as $Obj) : $fromJson(f.type?.() as $Message, v as $Obj);
  if (kind === 'enum' && !toJson && typeof v === 'number') return $enumName(f.type?.() as $Enum, v);
  if ($LONG.has(kind)) return String(v);
  return v;
}

/** A message in proto JSON (lowerCamel names, 64-bit integers and bytes as strings). */
function $toJson(m: $Message, obj: $Obj): $Obj {
  const out: $Obj = {};
  for (const f of m.fields) {
    const v = obj[f.name];
    if (v === undefined || v === null) continue;
    if (f.label === 'map') out[f.name] = Object.fromEntries(Object.entries(v as $Obj).map(([k, x]) => [k, $jsonValue(f, f.kind, x, true)]));
    else if (f.label === 'repeated') out[f.name] = (v as unknown[]).map((x) => $jsonValue(f, f.kind, x, true));
    else out[f.name] = $jsonValue(f, f.kind, v, true);
  }
  return out;
}

/** A message from proto JSON, in canonical form (defaults filled in). */
function $fromJson(m: $Message, json: $Obj): $Obj {
  const out = $defaults(m);
  for (const f of m.fields) {
    const v = json[f.name];
    if (v === undefined || v === null) continue;
    if (f.label === 'map') out[f.name] = Object.fromEntries(Object.entries(v as $Obj).map(([k, x]) => [k, $jsonValue(f, f.kind, x, false)]));
    else if (f.label === 'repeated') out[f.name] = (v as unknown[]).map((x) => $jsonValue(f, f.kind, x, false));
    else out[f.name] = $jsonValue(f, f.kind, v, false);
  }
  return out;
}

// gRPC status codes as Kratos maps them to HTTP codes (errors.FromGRPCCode).
const $HTTP_OF_GRPC: readonly number[] = [200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401];

const $Any: $Message = { fields: [{ no: 1, name: 'typeUrl', kind: 'string' }, { no: 2, name: 'value', kind: 'bytes' }] };
const $Status: $Message = {
  fields: [{ no: 1, name: 'code', kind: 'int32' }, { no: 2, name: 'message', kind: 'string' }, { no: 3, name: 'details', kind: 'message', label: 'repeated', type: () => $Any }],
};
const $ErrorInfo: $Message = {
  fields: [{ no: 1, name: 'reason', kind: 'string' }, { no: 2, name: 'domain', kind: 'string' }, { no: 3, name: 'metadata', kind: 'string', key: 'string', label: 'map' }],
};

function $grpcError(trailers: Record<string, string>): RpcError {
  const status = Number(trailers['grpc-status'] ?? 2);
  const message = decodeURIComponent(trailers['grpc-message'] ?? '');
  let reason = '';
  let metadata: Record<string, string> = {};
  const details = trailers['grpc-status-details-bin'];
  if (details !== undefined) {
    const s = $decode($Status, $unbase64(details)) as { details: { typeUrl: string; value: Uint8Array }[] };
    const info = s.details.find((d) => d.typeUrl === 'type.googleapis.com/google.rpc.ErrorInfo');
    if (info !== undefined) {
      const i = $decode($ErrorInfo, info.value) as { reason: string; metadata: Record<string, string> };
      reason = i.reason;
      metadata = i.metadata;
    }
  }
  return new RpcError($HTTP_OF_GRPC[status] ?? 500, reason, message, metadata, status);
}

function $headers(o: WebClientOptions, c: WebCallOptions | undefined, own: Record<string, string>): Record<string, string> {
  return { ...o.headers, ...c?.headers, ...own };
}

function $signal(c: WebCallOptions | undefined): AbortSignal | undefined {
  const t = c?.timeoutMs === undefined ? undefined : AbortSignal.timeout(c.timeoutMs);
  if (t === undefined) return c?.signal;
  return c?.signal === undefined ? t : AbortSignal.any([c.signal, t]);
}

/** The chunks of a response body as they arrive. */
async function* $chunks(res: Response): AsyncIterable<Uint8Array> {
  if (res.body === null) return;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

function $concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A gRPC-Web call (binary): one request frame out, message frames in, then the trailer frame. */
async function* $grpcWeb(o: WebClientOptions, op: string, req: $Message, rep: $Message, request: $Obj, c?: WebCallOptions): AsyncIterable<$Obj> {
  const msg = $encode(req, request);
  const body = new Uint8Array(5 + msg.length);
  new DataView(body.buffer).setUint32(1, msg.length);
  body.set(msg, 5);
  const own: Record<string, string> = { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', 'x-user-agent': 'kratos-ts-web/1' };
  if (c?.timeoutMs !== undefined) own['grpc-timeout'] = `${Math.max(1, Math.ceil(c.timeoutMs))}m`;
  const init: RequestInit = { method: 'POST', headers: $headers(o, c, own), body };
  if (c?.signal !== undefined) init.signal = c.signal;
  const res = await (o.fetch ?? fetch)(`${o.baseUrl}${op}`, init);
  if (res.status !== 200) throw new RpcError(res.status, 'HTTP_ERROR', `gRPC-Web call ${op} answered HTTP ${res.status}`);
  const early = res.headers.get('grpc-status');
  if (early !== null && early !== '0') {
    const t: Record<string, string> = {};
    res.headers.forEach((v, k) => (t[k] = v));
    throw $grpcError(t);
  }
  let buf: Uint8Array = new Uint8Array(0);
  for await (const chunk of $chunks(res)) {
    buf = $concat(buf, chunk);
    while (buf.length >= 5) {
      const len = new DataView(buf.buffer, buf.byteOffset).getUint32(1);
      if (buf.length < 5 + len) break;
      const flag = buf[0] ?? 0;
      const payload = buf.subarray(5, 5 + len);
      buf = buf.subarray(5 + len);
      if ((flag & 0x80) === 0) {
        yield $decode(rep, payload);
        continue;
      }
      const trailers: Record<string, string> = {};
      for (const line of $fromUtf8.decode(payload).split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) trailers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      if (trailers['grpc-status'] !== '0') throw $grpcError(trailers);
      return;
    }
  }
  if (early === '0') return;
  throw new RpcError(503, 'UNAVAILABLE', `gRPC-Web call ${op} ended without trailers`);
}

/** A unary gRPC-Web call: the one reply. */
async function $grpcWebUnary(o: WebClientOptions, op: string, req: $Message, rep: $Message, request: $Obj, c?: WebCallOptions): Promise<$Obj> {
  let reply: $Obj | undefined;
  for await (const m of $grpcWeb(o, op, req, rep, request, c)) reply = m;
  if (reply === undefined) throw new RpcError(500, 'UNKNOWN', `${op} answered no message`);
  return reply;
}

function $at(obj: $Obj, path: string): unknown {
  let v: unknown = obj;
  for (const p of path.split('.')) v = (v as $Obj | null | undefined)?.[p];
  return v;
}

/** The URL and body of an HTTP rule call: path variables, then the body, the rest as query parameters. */
function $httpRequest(o: WebClientOptions, rule: $Rule, req: $Message, request: $Obj): { url: string; body: string | undefined } {
  const json = $toJson(req, request);
  const used = new Set<string>();
  const path = rule.path.replace(/\{([\w.]+)(=[^}]*)?\}/g, (_m, field: string, pattern: string | undefined) => {
    used.add(field.split('.')[0] ?? field);
    const v = String($at(json, field) ?? '');
    // A multi-segment variable ({name=shelves/*/books/*}) keeps its slashes.
    return pattern !== undefined && pattern.includes('/') ? v.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(v);
  });
  let body: string | undefined;
  if (rule.body === '*') body = JSON.stringify(Object.fromEntries(Object.entries(json).filter(([k]) => !used.has(k))));
  else if (rule.body !== '') {
    body = JSON.stringify(json[rule.body] ?? {});
    used.add(rule.body);
  }
  const query = new URLSearchParams();
  if (rule.body !== '*') {
    for (const [k, v] of Object.entries(json)) {
      if (used.has(k) || typeof v === 'object') continue;
      query.append(k, String(v));
    }
    for (const [k, v] of Object.entries(json)) if (!used.has(k) && Array.isArray(v)) for (const x of v) if (typeof x !== 'object') query.append(k, String(x));
  }
  const q = query.toString();
  return { url: `${o.baseUrl}${path}${q === '' ? '' : `?${q}`}`, body };
}

async function $httpError(res: Response): Promise<RpcError> {
  try {
    const e = (await res.json()) as { code?: number; reason?: string; message?: string; metadata?: Record<string, string> };
    return new RpcError(e.code ?? res.status, e.reason ?? '', e.message ?? res.statusText, e.metadata ?? {});
  } catch {
    return new RpcError(res.status, '', res.statusText);
  }
}

async function $httpFetch(o: WebClientOptions, rule: $Rule, req: $Message, request: $Obj, accept: string, c?: WebCallOptions): Promise<Response> {
  const { url, body } = $httpRequest(o, rule, req, request);
  const own: Record<string, string> = { accept };
  if (body !== undefined) own['content-type'] = 'application/json';
  const init: RequestInit = { method: rule.method, headers: $headers(o, c, own) };
  if (body !== undefined) init.body = body;
  const signal = $signal(c);
  if (signal !== undefined) init.signal = signal;
  const res = await (o.fetch ?? fetch)(url, init);
  if (!res.ok) throw await $httpError(res);
  return res;
}

function $reply(rule: $Rule, rep: $Message, json: unknown): $Obj {
  return $fromJson(rep, rule.responseBody === '' ? (json as $Obj) : { [rule.responseBody]: json });
}

/** A unary call over the rpc's google.api.http rule, in JSON. */
async function $httpUnary(o: WebClientOptions, rule: $Rule, req: $Message, rep: $Message, request: $Obj, c?: WebCallOptions): Promise<$Obj> {
  const res = await $httpFetch(o, rule, req, request, 'application/json', c);
  return $reply(rule, rep, await res.json());
}

/** A server stream over the rpc's google.api.http rule: NDJSON lines `{"result": ...}`, or a last `{"error": ...}`. */
async function* $httpStream(o: WebClientOptions, rule: $Rule, req: $Message, rep: $Message, request: $Obj, c?: WebCallOptions): AsyncIterable<$Obj> {
  const res = await $httpFetch(o, rule, req, request, 'application/x-ndjson', c);
  let text = '';
  const lines = function* (final: boolean): Iterable<$Obj> {
    let nl = text.indexOf('\n');
    while (nl !== -1 || (final && text.trim() !== '')) {
      const line = nl === -1 ? text : text.slice(0, nl);
      text = nl === -1 ? '' : text.slice(nl + 1);
      if (line.trim() !== '') {
        const item = JSON.parse(line) as { result?: unknown; error?: { code: number; reason: string; message: string; metadata?: Record<string, string> } };
        if (item.error !== undefined) throw new RpcError(item.error.code, item.error.reason, item.error.message, item.error.metadata ?? {});
        yield $reply(rule, rep, item.result);
      }
      nl = text.indexOf('\n');
    }
  };
  for await (const chunk of $chunks(res)) {
    text += $fromUtf8.decode(chunk, { stream: true });
    yield* lines(false);
  }
  yield* lines(true);
}
