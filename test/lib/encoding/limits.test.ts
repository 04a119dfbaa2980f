import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type protobuf from 'protobufjs';
import { DEFAULT_DECODE_LIMITS, defaultCodecs, decodeForm } from '../../../lib/encoding/index.js';
import { KratosError } from '../../../lib/errors/index.js';
import { deepProto, treeNode } from '../../helpers/hostile-corpus.js';

function refusedFor(limit: string, fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof KratosError && e.code === 400 && e.reason === 'CODEC' && e.metadata['limit'] === limit && e.message.includes(limit));
}

const nestJson = (n: number) => Buffer.from(`${'{"child":'.repeat(n)}{"name":"x"}${'}'.repeat(n)}`);

describe('decode limits', () => {
  let Node: protobuf.Type;
  before(async () => (Node = await treeNode()));

  it('should default to depth 100, 10 000 keys, 10 000 elements and 100 aliases', () => {
    assert.deepEqual({ ...DEFAULT_DECODE_LIMITS }, { maxDepth: 100, maxKeys: 10_000, maxElements: 10_000, maxAliases: 100 });
  });

  it('should accept nesting up to maxDepth and refuse one level more, in every codec', () => {
    const codecs = defaultCodecs({ maxDepth: 10 });
    const json = codecs.get('json');
    const proto = codecs.get('proto');
    assert.ok(json && proto);
    assert.doesNotThrow(() => json.unmarshal(nestJson(9), Node));
    refusedFor('maxDepth', () => json.unmarshal(nestJson(10), Node));
    refusedFor('maxDepth', () => json.unmarshal(Buffer.from('[[[[[[[[[[[1]]]]]]]]]]]')));
    assert.doesNotThrow(() => proto.unmarshal(deepProto(9), Node));
    refusedFor('maxDepth', () => proto.unmarshal(deepProto(11), Node));
    const form = codecs.get('x-www-form-urlencoded');
    assert.ok(form);
    assert.doesNotThrow(() => form.unmarshal(Buffer.from(`${'child.'.repeat(9)}name=x`), Node));
    refusedFor('maxDepth', () => form.unmarshal(Buffer.from(`${'child.'.repeat(10)}name=x`), Node));
    refusedFor('maxDepth', () => codecs.get('yaml')?.unmarshal(Buffer.from(`${'['.repeat(11)}${']'.repeat(11)}`)));
    refusedFor('maxDepth', () => codecs.get('xml')?.unmarshal(Buffer.from(`${'<a>'.repeat(11)}${'</a>'.repeat(11)}`)));
    // Tags inside comments and CDATA are text, not nesting.
    assert.deepEqual(codecs.get('xml')?.unmarshal(Buffer.from(`<r><!-- ${'<a>'.repeat(20)} --><name><![CDATA[${'<b>'.repeat(20)}]]></name></r>`)), { name: '<b>'.repeat(20) });
  });

  it('should count keys and list elements across the whole body', () => {
    const codecs = defaultCodecs({ maxKeys: 5, maxElements: 5 });
    const json = codecs.get('json');
    assert.ok(json);
    assert.doesNotThrow(() => json.unmarshal(Buffer.from('{"tags":["a","b","c","d","e"]}'), Node));
    refusedFor('maxElements', () => json.unmarshal(Buffer.from('{"tags":["a","b","c"],"ids":[1,2,3]}'), Node));
    refusedFor('maxKeys', () => json.unmarshal(Buffer.from('{"kids":{"a":{},"b":{},"c":{},"d":{},"e":{},"f":{}}}'), Node));
    refusedFor('maxElements', () => codecs.get('proto')?.unmarshal(Buffer.alloc(12).fill(Buffer.from([0x22, 0x00])), Node));
    refusedFor('maxElements', () => decodeForm(Node, new URLSearchParams('tags=a&tags=b&tags=c&tags=d&tags=e&tags=f&tags=g'), undefined, { ...DEFAULT_DECODE_LIMITS, maxElements: 5 }));
    refusedFor('maxKeys', () => decodeForm(Node, new URLSearchParams('a=1&b=1&c=1&d=1&e=1&f=1'), undefined, { ...DEFAULT_DECODE_LIMITS, maxKeys: 5 }));
  });

  it('should bound YAML alias expansion', () => {
    const yaml = defaultCodecs({ maxAliases: 3 }).get('yaml');
    assert.ok(yaml);
    assert.doesNotThrow(() => yaml.unmarshal(Buffer.from('a: &a [1, 2]\nb: *a\n')));
    refusedFor('maxAliases', () => yaml.unmarshal(Buffer.from('a: &a [1, 2]\nb: [*a, *a, *a, *a]\n')));
  });

  it('should refuse duplicate JSON keys and keep every digit of big integers in messages', () => {
    const json = defaultCodecs().get('json');
    assert.ok(json);
    assert.throws(() => json.unmarshal(Buffer.from('{"name":"a","name":"b"}'), Node), /duplicate key "name"/);
    assert.deepEqual((json.unmarshal(Buffer.from('{"ids":[9223372036854775807, -9223372036854775808, 1e3]}'), Node) as { ids: string[] }).ids,
      ['9223372036854775807', '-9223372036854775808', '1000']);
    assert.equal((json.unmarshal(Buffer.from('{"name":"\\u0000a","ids":[9007199254740993]}'), Node) as { name: string }).name, '\u0000a');
  });
});
