import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** test/fixtures/proto/hostile/v1/tree.proto: a recursive `Node` behind POST /v1/tree (body "*"). */
export const TREE_PROTO = fileURLToPath(new URL('../../../test/fixtures/proto/hostile/v1/tree.proto', import.meta.url));

/** One hostile request: what it sends and what a server with default options must answer. */
export interface HostileBody {
  readonly name: string;
  /** The codec or binder it attacks. */
  readonly codec: 'json' | 'proto' | 'form' | 'query' | 'yaml' | 'xml' | 'path';
  readonly contentType: string;
  readonly body: Buffer;
  /** Query string (without '?') or, for 'path', the path after /v1/tree/. */
  readonly query?: string;
  readonly path?: string;
  /** Expected status with default options (YAML/XML bodies off: 415) and with markup bodies on. */
  readonly status: number;
  readonly markupStatus?: number;
  /** The limit the 400 names in its metadata, when it is a limit (alternatives split by '|'). */
  readonly limit?: string;
}

const FORM = 'application/x-www-form-urlencoded';

/** `{"child":` n times, then the leaf: nested proto JSON of a recursive message. */
function deepJson(n: number): Buffer {
  return Buffer.from(`${'{"child":'.repeat(n)}{"name":"x"}${'}'.repeat(n)}`);
}

/** A Node nested n deep in the binary wire format, in linear time: sizes inside out, then bytes outside in. */
export function deepProto(n: number): Buffer {
  const varint = (v: number): number[] => {
    const out: number[] = [];
    while (v > 0x7f) {
      out.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.push(v);
    return out;
  };
  const leaf = [0x0a, 0x01, 0x78];
  const sizes = [leaf.length];
  for (let i = 1; i <= n; i++) sizes.push(1 + varint(sizes[i - 1] as number).length + (sizes[i - 1] as number));
  const out: number[] = [];
  for (let i = n; i >= 1; i--) out.push(0x12, ...varint(sizes[i - 1] as number));
  out.push(...leaf);
  return Buffer.from(out);
}

/** Billion-laughs YAML: each level aliases the previous one ten times. */
function yamlBomb(levels: number, padTo = 0): Buffer {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]`);
  let text = `${lines.join('\n')}\nname: x\n`;
  if (text.length < padTo) text += `# ${'p'.repeat(padTo - text.length)}\n`;
  return Buffer.from(text);
}

/** The corpus: every codec and binder at its worst, each within the default 1 MiB body limit. */
export function hostileCorpus(): HostileBody[] {
  return [
    { name: 'a 900 KB form key of 150k child. segments', codec: 'form', contentType: FORM, body: Buffer.from(`${'child.'.repeat(150_000)}name=x`), status: 400, limit: 'maxDepth' },
    { name: 'a form key of 5k segments', codec: 'form', contentType: FORM, body: Buffer.from(`${'child.'.repeat(5_000)}name=x`), status: 400, limit: 'maxDepth' },
    { name: 'a form key of 20k segments', codec: 'form', contentType: FORM, body: Buffer.from(`${'child.'.repeat(20_000)}name=x`), status: 400, limit: 'maxDepth' },
    { name: 'tags=a repeated 140k times', codec: 'form', contentType: FORM, body: Buffer.from(Array.from({ length: 140_000 }, () => 'tags=a').join('&')), status: 400, limit: 'maxElements' },
    { name: '100k distinct form keys', codec: 'form', contentType: FORM, body: Buffer.from(Array.from({ length: 100_000 }, (_, i) => `k${i}=1`).join('&')), status: 400, limit: 'maxKeys|maxElements' },
    { name: 'a map key chain kids[a].kids[a]... 50k deep', codec: 'form', contentType: FORM, body: Buffer.from(`${'kids[a].'.repeat(50_000)}name=x`), status: 400, limit: 'maxDepth' },
    { name: 'a query key of 2k segments', codec: 'query', contentType: FORM, body: Buffer.alloc(0), query: `${'child.'.repeat(2_000)}name=x`, status: 400, limit: 'maxDepth' },
    { name: 'JSON nested 100k deep', codec: 'json', contentType: 'application/json', body: deepJson(100_000), status: 400, limit: 'maxDepth' },
    { name: 'JSON nested 101 deep (just past the limit)', codec: 'json', contentType: 'application/json', body: deepJson(101), status: 400, limit: 'maxDepth' },
    { name: 'a JSON list of 300k strings', codec: 'json', contentType: 'application/json', body: Buffer.from(`{"tags":[${Array.from({ length: 300_000 }, () => '""').join(',')}]}`), status: 400, limit: 'maxElements' },
    { name: 'a JSON list of 200k empty messages', codec: 'json', contentType: 'application/json', body: Buffer.from(`{"children":[${Array.from({ length: 200_000 }, () => '{}').join(',')}]}`), status: 400, limit: 'maxElements' },
    { name: 'a JSON map of 60k keys', codec: 'json', contentType: 'application/json', body: Buffer.from(`{"kids":{${Array.from({ length: 60_000 }, (_, i) => `"${i}":{}`).join(',')}}}`), status: 400, limit: 'maxKeys' },
    { name: 'a JSON list of 55k big integers', codec: 'json', contentType: 'application/json', body: Buffer.from(`{"ids":[${Array.from({ length: 55_000 }, () => '9007199254740993').join(',')}]}`), status: 400, limit: 'maxElements' },
    { name: 'protobuf nested 100k deep', codec: 'proto', contentType: 'application/x-protobuf', body: deepProto(100_000), status: 400, limit: 'maxDepth' },
    { name: 'protobuf with 400k empty repeated messages', codec: 'proto', contentType: 'application/x-protobuf', body: Buffer.alloc(800_000).fill(Buffer.from([0x22, 0x00])), status: 400, limit: 'maxElements' },
    { name: 'protobuf with 900k packed int64s', codec: 'proto', contentType: 'application/x-protobuf', body: Buffer.concat([Buffer.from([0x32, 0x90, 0xf7, 0x36]), Buffer.alloc(900_000, 0x01)]), status: 400, limit: 'maxElements' },
    { name: 'a 644 KB YAML alias bomb', codec: 'yaml', contentType: 'application/yaml', body: yamlBomb(9, 644_000), status: 415, markupStatus: 413 },
    { name: 'a 1 KB YAML alias bomb', codec: 'yaml', contentType: 'application/yaml', body: yamlBomb(9), status: 415, markupStatus: 400, limit: 'maxAliases' },
    { name: 'YAML nested 15k deep', codec: 'yaml', contentType: 'application/yaml', body: Buffer.from(`${'['.repeat(15_000)}${']'.repeat(15_000)}`), status: 415, markupStatus: 400, limit: 'maxDepth' },
    { name: 'a YAML line of 15k nested list dashes', codec: 'yaml', contentType: 'application/yaml', body: Buffer.from(`${'- '.repeat(15_000)}x`), status: 415, markupStatus: 400, limit: 'maxDepth' },
    { name: 'XML nested 2k deep', codec: 'xml', contentType: 'application/xml', body: Buffer.from(`${'<child>'.repeat(2_000)}${'</child>'.repeat(2_000)}`), status: 415, markupStatus: 400, limit: 'maxDepth' },
    { name: 'XML entity expansion', codec: 'xml', contentType: 'application/xml', body: Buffer.from('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><r><name>&b;</name></r>'), status: 415, markupStatus: 400 },
    { name: 'invalid percent-encoding in a path parameter', codec: 'path', contentType: FORM, body: Buffer.alloc(0), path: '%E0%A4%A', status: 400 },
  ];
}

/** The Node type, for decoding the corpus directly with a codec (the benchmark does). */
export async function treeNode(): Promise<protobuf.Type> {
  const { ProtoLoader } = await import('../../lib/proto/index.js');
  const schema = await new ProtoLoader({ includeDirs: [] }).load(TREE_PROTO);
  return schema.lookupType('hostile.v1.Node');
}
