import type protobuf from 'protobufjs';
import type { XMLParser as Parser } from 'fast-xml-parser';
import { KratosError } from '../errors/index.js';
import { lazyRequire } from '../internal/index.js';
import type { Codec } from './codec.js';
import { CODEC_REASON, codecError, errorMessage } from './errors.js';
import { checkTree, DEFAULT_DECODE_LIMITS, limitError, type DecodeLimits } from './limits.js';
import { fromProtoJson, toProtoJson } from './proto-json.js';
import { stripUnsafeKeys } from './safe-keys.js';
import { bodyText } from './text.js';
import { fromXmlTree, toXmlTree } from './xml-tree.js';

/** Root element of every document this codec writes. */
export const XML_ROOT = 'response';
/** Element a top-level list repeats inside the root. */
export const XML_ITEM = 'item';

const NAME_PATTERN = /^[A-Za-z_][\w.-]*$/;

const fxp = lazyRequire<typeof import('fast-xml-parser')>('fast-xml-parser');
let parser: Parser | undefined;

// The parser is made on the first XML body: most apps never receive one.
function xmlParser(): Parser {
  return (parser ??= new (fxp().XMLParser)({
    // Text stays text: the schema (or the caller) decides what is a number.
    parseTagValue: false,
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    trimValues: true,
  }));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function writeElement(name: string, value: unknown, out: string[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) writeElement(name, item, out);
    return;
  }
  if (!NAME_PATTERN.test(name)) {
    throw new KratosError(500, CODEC_REASON, `xml marshal: ${JSON.stringify(name)} is not a valid element name`);
  }
  let text: string | undefined;
  if (value instanceof Uint8Array) text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value !== 'object') text = String(value);
  if (text !== undefined) {
    out.push(`<${name}>${escapeXml(text)}</${name}>`);
    return;
  }
  out.push(`<${name}>`);
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) writeElement(key, item, out);
  out.push(`</${name}>`);
}

/**
 * One pass before parsing: a DTD (entity expansion) is refused outright, and element nesting is
 * counted, because the parser and its validator build and walk the tree recursively.
 */
function checkXmlShape(text: string, limits: DecodeLimits): void {
  if (/<!DOCTYPE/i.test(text)) throw codecError('body unmarshal: XML with a DOCTYPE is not accepted');
  let depth = 0;
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    const next = text.charCodeAt(i + 1);
    // Comments and CDATA may hold any text, tags included: skip to their end.
    if (text.startsWith('<!--', i)) i = text.indexOf('-->', i) >>> 0;
    else if (text.startsWith('<![CDATA[', i)) i = text.indexOf(']]>', i) >>> 0;
    else if (next === 0x2f) depth--; // </name>
    else if (next !== 0x21 && next !== 0x3f) {
      // Not <! (comment, CDATA) nor <? (declaration): an opening tag, unless it closes itself.
      const end = text.indexOf('>', i);
      if (end < 0) return;
      if (text.charCodeAt(end - 1) !== 0x2f && ++depth > limits.maxDepth) throw limitError('maxDepth', limits, 'XML nesting depth');
    }
  }
}

/**
 * `application/xml`, kept modest (Kratos' encoding/xml is too). Writes `<response>` around the
 * value (a top-level list as repeated `<item>`); reads the content of whatever the root element is.
 * Limits: attributes, namespaces and mixed content are ignored; text is trimmed; without a type
 * every leaf reads back as a string and object keys must be XML names. With a type, map fields are
 * written as `<entry><key/><value/></entry>` and Struct/Value/ListValue/Any as JSON text, so
 * messages round-trip. Uses fast-xml-parser's XMLValidator (deprecated there in favour of a
 * separate package) because the parser alone accepts unclosed tags.
 */
export class XmlCodec implements Codec {
  readonly name = 'xml';
  readonly contentType = 'application/xml';
  readonly #limits: DecodeLimits;

  /** `limits`: what one body may cost to decode (see {@link DecodeLimits}). */
  constructor(limits: DecodeLimits = DEFAULT_DECODE_LIMITS) {
    this.#limits = limits;
  }

  marshal(value: unknown, type?: protobuf.Type): Buffer {
    let tree = value;
    if (type !== undefined) {
      const json = toProtoJson(type, value);
      // Well-known types such as Timestamp have a scalar JSON form: it becomes the root's text.
      tree = json !== null && typeof json === 'object' ? toXmlTree(type, json as Record<string, unknown>) : json;
    }
    else if (Array.isArray(value)) tree = { [XML_ITEM]: value };
    const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
    writeElement(XML_ROOT, tree ?? '', out);
    return Buffer.from(out.join(''), 'utf8');
  }

  unmarshal(data: Buffer, type?: protobuf.Type): unknown {
    const text = bodyText(data);
    checkXmlShape(text, this.#limits);
    const valid = fxp().XMLValidator.validate(text);
    if (valid !== true) throw codecError(`body unmarshal: ${valid.err.msg} (line ${valid.err.line})`);
    let doc: Record<string, unknown>;
    try {
      doc = stripUnsafeKeys(xmlParser().parse(text)) as Record<string, unknown>;
    } catch (err) {
      throw codecError(`body unmarshal: ${errorMessage(err)}`, err);
    }
    checkTree(doc, this.#limits);
    const root = Object.values(doc)[0] ?? '';
    return type === undefined ? root : fromProtoJson(type, fromXmlTree(type, root));
  }
}
