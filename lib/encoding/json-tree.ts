import { codecError } from './errors.js';
import { Budget, type DecodeLimits } from './limits.js';
import { isUnsafeKey } from './safe-keys.js';

/**
 * A JSON number kept as its source text: integer-valued numbers that a double would round (beyond
 * 2^53) or that are spelled with a fraction or exponent (`1e3`), so 64-bit fields get every digit.
 */
export class NumberText {
  constructor(readonly text: string, readonly value: number) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NEEDS_CARE = /[\u0000-\u001f\\]/;

type Container = Record<string, unknown> | unknown[];

/**
 * JSON text to plain values for the proto3 JSON reader, in one pass and without recursion: depth,
 * key and element counts are charged to `limits` as they are met, duplicate keys are refused (as
 * protojson and python's json_format do), `__proto__`-style keys are dropped, and numbers that need
 * their digits come back as {@link NumberText}.
 */
export function parseJsonTree(text: string, limits: DecodeLimits): unknown {
  const budget = new Budget(limits);
  const stack: Container[] = [];
  const keys: (string | undefined)[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw codecError(`body unmarshal: ${what} at offset ${Math.min(i, text.length)}`);
  };
  const ws = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  const str = (): string => {
    const start = i;
    let end = text.indexOf('"', start + 1);
    if (end < 0) fail('unterminated string');
    let body = text.slice(start + 1, end);
    if (!NEEDS_CARE.test(body)) {
      i = end + 1;
      return body;
    }
    // Escapes: find the quote that really ends the string, then let JSON.parse decode and check it.
    for (end = start + 1; end < text.length; end++) {
      const c = text.charCodeAt(end);
      if (c === 0x5c) end++;
      else if (c === 0x22) break;
      else if (c < 0x20) fail('control character in string');
    }
    if (end >= text.length) fail('unterminated string');
    try {
      body = JSON.parse(text.slice(start, end + 1)) as string;
    } catch {
      fail('invalid string escape');
    }
    i = end + 1;
    return body;
  };
  const scalar = (): unknown => {
    const c = text.charCodeAt(i);
    if (c === 0x22) return str();
    if (text.startsWith('true', i)) return (i += 4), true;
    if (text.startsWith('false', i)) return (i += 5), false;
    if (text.startsWith('null', i)) return (i += 4), null;
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail('unexpected character');
    const lexeme = m[0];
    i += lexeme.length;
    const n = Number(lexeme);
    const plainInt = Number.isSafeInteger(n) && !/[.eE]/.test(lexeme);
    return Number.isInteger(n) && !plainInt ? new NumberText(lexeme, n) : n;
  };

  let value: unknown;
  ws();
  for (;;) {
    // Read one value; containers are opened and the loop continues inside them.
    const c = text.charCodeAt(i);
    let opened: Container | undefined;
    if (c === 0x7b) opened = {};
    else if (c === 0x5b) opened = [];
    if (opened !== undefined) {
      i++;
      budget.depth(stack.length + 1);
      stack.push(opened);
      ws();
      const close = Array.isArray(opened) ? 0x5d : 0x7d;
      if (text.charCodeAt(i) === close) {
        i++;
        value = stack.pop();
      } else {
        if (!Array.isArray(opened)) keys.push(readKey());
        else keys.push(undefined);
        continue;
      }
    } else {
      value = scalar();
    }
    // Attach the value and move on through every container it completes.
    for (;;) {
      const parent = stack[stack.length - 1];
      if (parent === undefined) {
        ws();
        if (i < text.length) fail('unexpected text after the value');
        return value;
      }
      if (Array.isArray(parent)) {
        budget.elements();
        parent.push(value);
      } else {
        const key = keys[keys.length - 1] as string;
        if (!isUnsafeKey(key)) {
          if (Object.hasOwn(parent, key)) fail(`duplicate key ${JSON.stringify(key)}`);
          budget.keys();
          parent[key] = value;
        }
      }
      ws();
      const next = text.charCodeAt(i);
      if (next === 0x2c) {
        i++;
        ws();
        if (!Array.isArray(parent)) keys[keys.length - 1] = readKey();
        break;
      }
      if (next === (Array.isArray(parent) ? 0x5d : 0x7d)) {
        i++;
        keys.pop();
        value = stack.pop();
        continue;
      }
      fail(Array.isArray(parent) ? "expected ',' or ']'" : "expected ',' or '}'");
    }
  }

  function readKey(): string {
    if (text.charCodeAt(i) !== 0x22) fail('expected a key');
    const key = str();
    ws();
    if (text.charCodeAt(i) !== 0x3a) fail("expected ':'");
    i++;
    ws();
    return key;
  }
}

/** Marks a number rewritten into a string so JSON.parse keeps its digits; a body can only spell U+0000 as an escape. */
const SENTINEL = '\u0000';

/** Counts of one scan; `numbers` are [start, end) offsets of numbers that need their source text. */
interface Scan {
  keys: number;
  numbers: number[];
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** One pass over the text: nesting, keys and elements against the limits, and numbers a double would change. */
function scan(text: string, limits: DecodeLimits): Scan {
  const budget = new Budget(limits);
  const arrays = new Uint8Array(limits.maxDepth + 2);
  const out: Scan = { keys: 0, numbers: [] };
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      budget.depth(++depth);
      arrays[depth] = c === 0x5b ? 1 : 0;
      // An array's first element has no comma before it.
      if (c === 0x5b) {
        let j = i + 1;
        while (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x0a || text.charCodeAt(j) === 0x0d || text.charCodeAt(j) === 0x09) j++;
        if (text.charCodeAt(j) !== 0x5d) budget.elements();
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x3a) {
      budget.keys();
      out.keys++;
    } else if (c === 0x2c) {
      if (arrays[depth] === 1) budget.elements();
    } else if (c === 0x2d || isDigit(c)) {
      const start = i;
      let digits = 0;
      let plain = true;
      for (; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (isDigit(d)) digits++;
        else if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) plain = d === 0x2d && i === start ? plain : false;
        else break;
      }
      i--;
      if (!plain || digits > 15) {
        const n = Number(text.slice(start, i + 1));
        if (Number.isInteger(n) && !(plain && Number.isSafeInteger(n))) out.numbers.push(start, i + 1);
      }
    }
  }
  return out;
}

function fromSentinel(value: string): NumberText {
  const text = value.slice(1);
  return new NumberText(text, Number(text));
}

/**
 * Counts the keys of a parsed tree, without recursion; with `numbers`, also turns the marked strings
 * back into {@link NumberText}, so readers never see a marker.
 */
function countKeys(root: unknown, numbers: boolean): number {
  let keys = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item !== null && typeof item === 'object') stack.push(item);
        else if (numbers && typeof item === 'string' && item.charCodeAt(0) === 0) value[i] = fromSentinel(item);
      }
    } else {
      const obj = value as Record<string, unknown>;
      for (const key in obj) {
        keys++;
        const item = obj[key];
        if (item !== null && typeof item === 'object') stack.push(item);
        else if (numbers && typeof item === 'string' && item.charCodeAt(0) === 0) obj[key] = fromSentinel(item);
      }
    }
  }
  return keys;
}

/** Charges JSON text to the limits (depth, keys, elements) in one pass, before it is parsed. */
export function checkJsonBudget(text: string, limits: DecodeLimits): void {
  scan(text, limits);
}

/**
 * JSON for the proto3 JSON reader at native speed: a scan charges the limits and finds numbers
 * that need their digits, which go through JSON.parse as marked strings and come out as
 * {@link NumberText}; when keys went missing (a duplicate or a dropped `__proto__`), or a
 * body spells U+0000 itself, the careful {@link parseJsonTree} decides.
 */
export function readJson(text: string, limits: DecodeLimits): unknown {
  const { keys, numbers } = scan(text, limits);
  if (numbers.length > 0 && text.includes('\\u0000')) return parseJsonTree(text, limits);
  let source = text;
  if (numbers.length > 0) {
    const parts: string[] = [];
    let at = 0;
    for (let k = 0; k < numbers.length; k += 2) {
      const start = numbers[k] as number;
      const end = numbers[k + 1] as number;
      parts.push(text.slice(at, start), `"${SENTINEL}${text.slice(start, end)}"`);
      at = end;
    }
    parts.push(text.slice(at));
    source = parts.join('');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    return parseJsonTree(text, limits);
  }
  if (typeof parsed === 'string' && numbers.length > 0) return fromSentinel(parsed);
  if (countKeys(parsed, numbers.length > 0) !== keys) return parseJsonTree(text, limits);
  return parsed;
}
