import type protobuf from 'protobufjs';
import { parseYaml as parse, stringifyYaml as stringify } from '../internal/index.js';
import type { Codec } from './codec.js';
import { codecError, errorMessage } from './errors.js';
import { checkTree, DEFAULT_DECODE_LIMITS, limitError, type DecodeLimits } from './limits.js';
import { fromProtoJson, toProtoJson } from './proto-json.js';
import { mentionsUnsafeKey, stripUnsafeKeys } from './safe-keys.js';
import { bodyText } from './text.js';

/**
 * YAML integers are exact as bigint; ProtoJSON takes big ones as decimal strings. Safe ones stay
 * numbers, because an enum given as the string '2' would be read as an (unknown) enum name.
 */
function bigintsToStrings(value: unknown): unknown {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (Array.isArray(value)) return value.map(bigintsToStrings);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = bigintsToStrings(v);
  return out;
}

/** Block indicators that open a level on the same line: `- - - x`, `? ? x`. */
const INLINE_LEVELS = /^[ \t]*((?:[-?:][ \t]+)+)/;

/**
 * A cheap look before the parser, which recurses once per level: flow brackets outside quotes
 * (`[[[[`) and block indicators chained on one line (`- - - -`) past the depth limit are refused
 * here. Nesting by indentation needs quadratic space, so the body limit already bounds it.
 */
function checkYamlNesting(text: string, limits: DecodeLimits): void {
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 0x5c && quote === 0x22) i++;
      else if (c === quote || c === 0x0a) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.maxDepth) throw limitError('maxDepth', limits, 'YAML nesting depth');
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
    else if (c === 0x0a || i === 0) {
      const line = text.slice(c === 0x0a ? i + 1 : i, text.indexOf('\n', i + 1) >>> 0);
      const chain = INLINE_LEVELS.exec(line)?.[1] ?? '';
      if (chain.length > 2 * limits.maxDepth && chain.replace(/[ \t]/g, '').length > limits.maxDepth) {
        throw limitError('maxDepth', limits, 'YAML nesting depth');
      }
    }
  }
}

/** `application/yaml` (also 'x-yaml'); messages go through proto3 JSON like the json codec. */
export class YamlCodec implements Codec {
  readonly name = 'yaml';
  readonly contentType = 'application/yaml';
  readonly #limits: DecodeLimits;

  /** `limits`: what one body may cost to decode; `maxAliases` bounds alias expansion (billion laughs). */
  constructor(limits: DecodeLimits = DEFAULT_DECODE_LIMITS) {
    this.#limits = limits;
  }

  marshal(value: unknown, type?: protobuf.Type): Buffer {
    const json = type === undefined ? value : toProtoJson(type, value);
    return Buffer.from(stringify(json ?? null), 'utf8');
  }

  unmarshal(data: Buffer, type?: protobuf.Type): unknown {
    const text = bodyText(data);
    checkYamlNesting(text, this.#limits);
    let parsed: unknown;
    try {
      // With a type, read integers as bigint so 64-bit fields above 2^53 are not rounded.
      parsed = parse(text, { intAsBigInt: type !== undefined, maxAliasCount: this.#limits.maxAliases, uniqueKeys: true });
    } catch (err) {
      // The parser recurses per nesting level: a stack overflow means the body was nested too deep.
      if (err instanceof RangeError || /Maximum call stack/.test(errorMessage(err))) throw limitError('maxDepth', this.#limits, 'nesting depth');
      if (/alias/i.test(errorMessage(err))) throw limitError('maxAliases', this.#limits, `aliases (${errorMessage(err)})`);
      throw codecError(`body unmarshal: ${errorMessage(err)}`, err);
    }
    checkTree(parsed, this.#limits);
    if (mentionsUnsafeKey(text)) parsed = stripUnsafeKeys(parsed);
    return type === undefined ? parsed : fromProtoJson(type, bigintsToStrings(parsed));
  }
}
