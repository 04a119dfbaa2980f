import type { EventEmitter } from 'node:events';

/**
 * Keeps an HTTP/2 session's stream tables young, so that a long-lived gRPC connection does not fall
 * into V8's costly garbage-collection state (docs/performance.md, "The fourteenth round").
 *
 * node keeps a session's streams in a Map (and each new stream in a Set until it has an id). When
 * V8 rehashes a Map it keeps the old table, linked to the new one, for iterators made before. Once
 * a table is in old space (a full GC promotes the live one; a quiet session ages it there), every
 * rehash leaves a dead old table pointing at the next, young one, and a scavenge keeps whatever a
 * dead old object points at. From then on each table, every stream in it and the grpc-js call a
 * stream reaches are promoted, for as long as the session lives: about 4 KB a call, scavenges of
 * 10-19 ms instead of 1.5, 25-30 µs of CPU a call. A fresh copy of the two tables, made once in a
 * while, is not linked to the old ones and ends any such chain.
 *
 * The tables are node's private state, found by shape: where a session does not carry them as
 * expected (another node), nothing is done to it.
 */
export function keepStreamTablesYoung(http2Server: EventEmitter): void {
  http2Server.on('stream', streamOpened);
}

/** Streams opened on a session since its tables were last renewed. */
const OPENED = Symbol('kratos.streamsSinceRenewal');
/**
 * A copy per 256 streams costs a few ns a stream, and caps what a chain can promote before it is
 * cut; with more streams open at once, a copy waits for four times as many, so its cost per stream
 * stays below copying a quarter of an entry.
 */
const RENEW_EVERY = 256;

interface Table {
  readonly size: number;
  readonly constructor: new (entries: Iterable<unknown>) => Table;
}
interface SessionState {
  streams: Table;
  pendingStreams: Table;
}
type Session = { [OPENED]?: number } & Record<symbol, unknown>;

/** node's `kState` symbol, once found on a session that carries both tables. */
let stateKey: symbol | undefined;

function streamOpened(stream: { readonly session?: object }): void {
  const session = stream.session as Session | undefined;
  if (session === undefined) return;
  const opened = (session[OPENED] ?? 0) + 1;
  session[OPENED] = opened;
  if (opened < RENEW_EVERY) return;
  const state = stateOf(session);
  if (state !== undefined && opened < 4 * state.streams.size) return;
  session[OPENED] = 0;
  if (state === undefined) return;
  try {
    state.streams = renewed(state.streams);
    state.pendingStreams = renewed(state.pendingStreams);
  } catch {
    // Tables that cannot be built from their entries are not node's Map and Set: left as they are.
  }
}

function stateOf(session: Session): SessionState | undefined {
  if (stateKey !== undefined && isState(session[stateKey])) return session[stateKey] as SessionState;
  const key = Object.getOwnPropertySymbols(session).find((k) => k.description === 'state' && isState(session[k]));
  if (key === undefined) return undefined;
  stateKey = key;
  return session[key] as SessionState;
}

function isState(state: unknown): state is SessionState {
  if (typeof state !== 'object' || state === null) return false;
  const { streams, pendingStreams } = state as Record<string, unknown>;
  return isTable(streams) && isTable(pendingStreams);
}

function isTable(table: unknown): table is Table {
  if (typeof table !== 'object' || table === null) return false;
  const t = table as Record<string | symbol, unknown>;
  return typeof t['size'] === 'number' && typeof t.constructor === 'function' && typeof t['has'] === 'function' && typeof t[Symbol.iterator] === 'function';
}

/** The same entries in a new table; the old one when a copy would not hold them all. */
function renewed(table: Table): Table {
  const copy = new table.constructor(table as unknown as Iterable<unknown>);
  return copy.size === table.size ? copy : table;
}
