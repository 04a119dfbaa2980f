import type protobuf from 'protobufjs';
import { parse, stringify } from 'yaml';
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
    let parsed: unknown;
    try {
      // With a type, read integers as bigint so 64-bit fields above 2^53 are not rounded.
      parsed = parse(text, { intAsBigInt: type !== undefined, maxAliasCount: this.#limits.maxAliases, uniqueKeys: true });
    } catch (err) {
      // The parser recurses per nesting level: a stack overflow means the body was nested too deep.
      if (err instanceof RangeError) throw limitError('maxDepth', this.#limits, 'nesting depth');
      if (/alias/i.test(errorMessage(err))) throw limitError('maxAliases', this.#limits, `aliases (${errorMessage(err)})`);
      throw codecError(`body unmarshal: ${errorMessage(err)}`, err);
    }
    checkTree(parsed, this.#limits);
    if (mentionsUnsafeKey(text)) parsed = stripUnsafeKeys(parsed);
    return type === undefined ? parsed : fromProtoJson(type, bigintsToStrings(parsed));
  }
}
