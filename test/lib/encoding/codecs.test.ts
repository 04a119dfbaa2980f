import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCodecs, toCanonical, type Codec } from '../../../lib/encoding/index.js';
import { codecFailure, loadFixture } from './fixture.js';

const { AllTypes, Sub } = await loadFixture();
const registry = defaultCodecs();

function codec(name: string): Codec {
  const found = registry.get(name);
  assert.ok(found, name);
  return found;
}

const text = (value: string): Buffer => Buffer.from(value, 'utf8');

describe('codecs', () => {
  describe('json', () => {
    it('should read and write plain values without a type', () => {
      assert.deepEqual(codec('json').unmarshal(text('{"a":[1,"x",null],"b":{"c":true}}')), { a: [1, 'x', null], b: { c: true } });
      assert.equal(codec('json').marshal({ a: 1, b: undefined }).toString(), '{"a":1}');
      assert.equal(codec('json').marshal(undefined).toString(), 'null');
      assert.deepEqual(codec('json').unmarshal(text('\uFEFF[1]')), [1]);
    });

    it('should drop __proto__, constructor and prototype keys at any depth', () => {
      const value = codec('json').unmarshal(text('{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"polluted":1}},"ok":1}}'));
      assert.deepEqual(value, { a: { ok: 1 } });
      assert.equal(Object.getPrototypeOf(value), Object.prototype);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    });

    it('should answer 400 CODEC for malformed JSON, with or without a type', () => {
      const e = codecFailure(() => codec('json').unmarshal(text('{"a":')));
      assert.match(e.message, /^body unmarshal: /);
      codecFailure(() => codec('json').unmarshal(text(''), AllTypes));
      codecFailure(() => codec('json').unmarshal(text('{"fInt32":"x"}'), AllTypes));
    });
  });

  describe('proto', () => {
    it('should write protobuf binary and read canonical objects', () => {
      const bytes = codec('proto').marshal({ userName: 'a', count: 300 }, Sub);
      assert.deepEqual([...bytes], [0x0a, 0x01, 0x61, 0x10, 0xac, 0x02]);
      assert.deepEqual(codec('proto').unmarshal(bytes, Sub), { userName: 'a', count: '300', color: 'COLOR_UNSPECIFIED' });
    });

    it('should answer 415 CODEC without a message type', () => {
      const e = codecFailure(() => codec('proto').marshal({}), 415);
      assert.equal(e.message, 'proto codec needs a message type');
      codecFailure(() => codec('proto').unmarshal(Buffer.alloc(0)), 415);
    });

    it('should answer 400 CODEC for truncated or garbage input', () => {
      const bytes = codec('proto').marshal({ userName: 'long enough' }, Sub);
      codecFailure(() => codec('proto').unmarshal(bytes.subarray(0, bytes.length - 3), Sub));
      codecFailure(() => codec('proto').unmarshal(Buffer.from([0xff, 0xff, 0xff, 0xff]), Sub));
    });
  });

  describe('x-www-form-urlencoded', () => {
    it('should read a flat object without a type, repeated keys as lists, unsafe keys skipped', () => {
      const value = codec('x-www-form-urlencoded').unmarshal(text('a=1&b=x&b=y&toString=t&__proto__=p&constructor=c'));
      assert.deepEqual(value, { a: '1', b: ['x', 'y'], toString: 't' });
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    });

    it('should write plain objects with dotted nesting and repeated keys', () => {
      const out = codec('x-www-form-urlencoded').marshal({ a: 1, b: ['x', 'y'], c: { d: true }, e: '', f: null });
      assert.equal(out.toString(), 'a=1&b=x&b=y&c.d=true');
    });

    it('should answer 400 CODEC for values that do not fit the message', () => {
      codecFailure(() => codec('x-www-form-urlencoded').unmarshal(text('fInt32=abc'), AllTypes));
    });
  });

  describe('yaml', () => {
    it('should read and write plain values', () => {
      assert.deepEqual(codec('yaml').unmarshal(text('a: 1\nb: [x, true]\n')), { a: 1, b: ['x', true] });
      assert.equal(codec('yaml').marshal({ a: 1, b: ['x'] }).toString(), 'a: 1\nb:\n  - x\n');
    });

    it('should read a hand-written document into a message, big integers exact', () => {
      const doc = 'user_name: ann\nfInt64: 9007199254740993\nf_uint64: 18446744073709551615\ncolor: 2\ncreatedAt: 2024-01-02T03:04:05Z\n';
      const c = codec('yaml').unmarshal(text(doc), AllTypes) as Record<string, unknown>;
      assert.equal(c['fInt64'], '9007199254740993');
      assert.equal(c['fUint64'], '18446744073709551615');
      assert.equal(c['color'], 'COLOR_GREEN');
      assert.deepEqual(c['createdAt'], { seconds: '1704164645', nanos: 0 });
    });

    it('should write messages as proto3 JSON shaped YAML', () => {
      const out = codec('yaml').marshal({ count: 5, color: 1 }, Sub).toString();
      assert.equal(out, 'userName: ""\ncount: "5"\ncolor: COLOR_RED\n');
    });

    it('should drop unsafe keys and answer 400 CODEC for malformed YAML', () => {
      assert.deepEqual(codec('yaml').unmarshal(text('__proto__:\n  polluted: 1\nok: 1\n')), { ok: 1 });
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      codecFailure(() => codec('yaml').unmarshal(text('a: [1, 2\n')));
      codecFailure(() => codec('yaml').unmarshal(text('fInt32: nope\n'), AllTypes));
    });
  });

  describe('xml', () => {
    it('should write plain objects under <response>, lists as repeated elements, text escaped', () => {
      const out = codec('xml').marshal({ name: 'a & <b>', ids: [1, 2], nested: { ok: true }, gone: null }).toString();
      assert.equal(
        out,
        '<?xml version="1.0" encoding="UTF-8"?><response><name>a &amp; &lt;b&gt;</name><ids>1</ids><ids>2</ids>' +
          '<nested><ok>true</ok></nested></response>',
      );
      assert.equal(codec('xml').marshal([1, 2]).toString(), '<?xml version="1.0" encoding="UTF-8"?><response><item>1</item><item>2</item></response>');
    });

    it('should read the content of the root element as strings without a type', () => {
      const value = codec('xml').unmarshal(text('<?xml version="1.0"?><req><name>a &amp; b</name><ids>1</ids><ids>2</ids><n><x>0</x></n></req>'));
      assert.deepEqual(value, { name: 'a & b', ids: ['1', '2'], n: { x: '0' } });
    });

    it('should read hand-written XML into a message with type-directed coercion', () => {
      const doc =
        '<request><user_name>ignored</user_name><fBool>true</fBool><fInt32>7</fInt32><color>1</color><tags>only</tags>' +
        '<counts><entry><key>a</key><value>5</value></entry></counts><sub><user_name>n</user_name></sub>' +
        '<optBool>false</optBool><extra>{"k":[1]}</extra><page/><unknown>1</unknown></request>';
      const c = codec('xml').unmarshal(text(doc), AllTypes) as Record<string, unknown>;
      assert.equal(c['fBool'], true);
      assert.equal(c['fInt32'], 7);
      assert.equal(c['color'], 'COLOR_RED');
      assert.deepEqual(c['tags'], ['only']);
      assert.deepEqual(c['counts'], { a: '5' });
      assert.equal((c['sub'] as Record<string, unknown>)['userName'], 'n');
      assert.deepEqual(c['optBool'], { value: false });
      assert.deepEqual(c['page'], { index: 0, size: 0, owner: null });
      assert.deepEqual(c['extra'], toCanonical(AllTypes, { extra: { fields: { k: { listValue: { values: [{ numberValue: 1 }] } } } } })['extra']);
    });

    it('should write messages with every field, maps as entries', () => {
      const out = codec('xml').marshal({ count: 5, color: 1 }, Sub).toString();
      assert.equal(out, '<?xml version="1.0" encoding="UTF-8"?><response><userName></userName><count>5</count><color>COLOR_RED</color></response>');
    });

    it('should answer 400 CODEC for malformed XML or bad values, and 500 for unwritable names', () => {
      codecFailure(() => codec('xml').unmarshal(text('<a><b>1</a>')));
      codecFailure(() => codec('xml').unmarshal(text('not xml')));
      codecFailure(() => codec('xml').unmarshal(text('<r><__proto__>1</__proto__></r>')));
      codecFailure(() => codec('xml').unmarshal(text('<r><fInt32>x</fInt32></r>'), AllTypes));
      codecFailure(() => codec('xml').unmarshal(text('<r><extra>{</extra></r>'), AllTypes));
      codecFailure(() => codec('xml').marshal({ '1bad': 1 }), 500);
    });
  });
});
