import { KratosError } from '../errors/index.js';
import { CODEC_REASON } from './errors.js';

/**
 * What one request body (or query string) may cost a decoder. Every codec and binder counts against
 * these before it builds anything big, so a body within the size limit stays cheap in CPU and memory.
 */
export interface DecodeLimits {
  /** Deepest nesting: JSON/YAML/XML levels, proto sub-messages, dotted form keys. Default 100. */
  readonly maxDepth: number;
  /** Most object keys (JSON/YAML members, XML elements, distinct form keys) in one body. Default 10 000. */
  readonly maxKeys: number;
  /** Most list elements (JSON/YAML arrays, repeated proto fields, repeated form keys) in one body. Default 10 000. */
  readonly maxElements: number;
  /** Most YAML alias expansions in one body. Default 100. */
  readonly maxAliases: number;
}

/** The limits every codec uses unless it is built with its own. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = Object.freeze({
  maxDepth: 100,
  maxKeys: 10_000,
  maxElements: 10_000,
  maxAliases: 100,
});

/**
 * Limits for replies a client decodes: a server the client chose to call may send long lists, so
 * only depth (the stack) and aliases stay tight.
 */
export const REPLY_DECODE_LIMITS: Partial<DecodeLimits> = Object.freeze({ maxKeys: 10_000_000, maxElements: 10_000_000 });

/** Limits with `overrides` applied over the defaults. */
export function decodeLimits(overrides: Partial<DecodeLimits> = {}): DecodeLimits {
  return Object.freeze({ ...DEFAULT_DECODE_LIMITS, ...overrides });
}

/** The 400 CODEC for input over a limit; `metadata.limit` names it so clients and logs can tell which. */
export function limitError(limit: keyof DecodeLimits, limits: DecodeLimits, what: string): KratosError {
  return new KratosError(400, CODEC_REASON, `body unmarshal: ${what} exceeds ${limit}=${limits[limit]}`, { limit, max: String(limits[limit]) });
}

/** Counts keys and elements against the limits while a decoder walks its input. */
export class Budget {
  #keys = 0;
  #elements = 0;
  constructor(readonly limits: DecodeLimits) {}

  /** Charges `n` object keys. */
  keys(n = 1): void {
    if ((this.#keys += n) > this.limits.maxKeys) throw limitError('maxKeys', this.limits, 'number of keys');
  }

  /** Charges `n` list elements. */
  elements(n = 1): void {
    if ((this.#elements += n) > this.limits.maxElements) throw limitError('maxElements', this.limits, 'number of list elements');
  }

  /** Fails when `depth` is past the nesting limit. */
  depth(depth: number): void {
    if (depth > this.limits.maxDepth) throw limitError('maxDepth', this.limits, 'nesting depth');
  }
}

/**
 * Charges an already parsed tree (YAML, XML) to the limits, without recursion: depth, object keys
 * and list elements. Parsers that build trees are bounded by their input size; this bounds what the
 * schema walk after them may cost.
 */
export function checkTree(root: unknown, limits: DecodeLimits): void {
  const budget = new Budget(limits);
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Date) continue;
    budget.depth(depth);
    if (Array.isArray(value)) {
      budget.elements(value.length);
      for (const item of value) stack.push([item, depth + 1]);
    } else {
      const values = Object.values(value);
      budget.keys(values.length);
      for (const item of values) stack.push([item, depth + 1]);
    }
  }
}
