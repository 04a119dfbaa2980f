import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { FormCodec, toCanonical } from '../../../lib/encoding/index.js';
import { KratosError } from '../../../lib/errors/index.js';
import { HttpServer } from '../../../lib/transport/http/index.js';

// The cases of go-kratos/kratos encoding/form (form_test.go, proto_decode_test.go), over a message of
// the same shape as its testdata complex.proto (test/fixtures/encoding/kratos-complex.proto).
const PROTO = fileURLToPath(new URL('../../../../test/fixtures/encoding/kratos-complex.proto', import.meta.url));
const form = new FormCodec();

// What Kratos' TestProtoEncodeDecode expects its encoder to write, byte for byte.
const KRATOS_ENCODED = 'a=19&age=18&b=true&bool=false&byte=MTIz&bytes=MTIz&count=3&d=22.22&double=12.33&duration='
  + '2m0.000000022s&field=1%2C2&float=12.34&id=2233&int32=32&int64=64&'
  + 'map%5Bkratos%5D=https%3A%2F%2Fgo-kratos.dev%2F&map%5Bkratos_start%5D=https%3A%2F%2Fgo-kratos.dev%2Fen%2Fdocs%2Fgetting-started%2Fstart%2F&'
  + 'numberOne=2233&price=11.23&sex=woman&string=go-kratos&strings=3344&strings=5566'
  + '&timestamp=1970-01-01T00%3A00%3A20.000000002Z&uint32=32&uint64=64&very_simple.component=5566';

describe("form codec against Kratos' own form tests", () => {
  let Complex: protobuf.Type;
  before(async () => {
    Complex = (await new protobuf.Root().load(PROTO, { keepCase: false })).lookupType('testproto.Complex');
  });

  const sample = () => ({
    id: '2233', noOne: '2233', simple: { component: '5566' }, strings: ['3344', '5566'], b: true, sex: 'woman', age: 18, a: 19, count: '3',
    price: 11.23, d: 22.22, byte: Buffer.from('123'), timestamp: { seconds: '20', nanos: 2 }, duration: { seconds: '120', nanos: 22 },
    field: { paths: ['1', '2'] }, double: { value: 12.33 }, float: { value: 12.34 }, int64: { value: '64' }, int32: { value: 32 },
    uint64: { value: '64' }, uint32: { value: 32 }, bool: { value: false }, string: { value: 'go-kratos' }, bytes: { value: Buffer.from('123') },
    map: { kratos: 'https://go-kratos.dev/', kratos_start: 'https://go-kratos.dev/en/docs/getting-started/start/' },
  });

  it('should encode the Complex message exactly as Kratos does (TestProtoEncodeDecode)', () => {
    assert.equal(form.marshal(sample(), Complex).toString(), KRATOS_ENCODED);
  });

  it('should decode what Kratos encodes back into the same message', () => {
    const decoded = form.unmarshal(Buffer.from(KRATOS_ENCODED), Complex) as Record<string, unknown>;
    const expected = toCanonical(Complex, sample());
    // float fields hold the float32 nearest the text, as in Go.
    assert.deepEqual(decoded, { ...expected, price: Math.fround(11.23), float: { value: Math.fround(12.34) } });
  });

  it('should take an enum by name or by a defined number, and refuse an undefined number (parseField EnumKind)', () => {
    assert.equal((form.unmarshal(Buffer.from('sex=1'), Complex) as { sex: string }).sex, 'woman');
    assert.equal((form.unmarshal(Buffer.from('sex=woman'), Complex) as { sex: string }).sex, 'woman');
    assert.throws(() => form.unmarshal(Buffer.from('sex=2'), Complex), (e: unknown) => e instanceof KratosError && e.code === 400 && /sex/.test(e.message));
  });

  it('should find a field with its own json_name by that name or its proto name only, as Kratos does', () => {
    const read = (body: string) => (form.unmarshal(Buffer.from(body), Complex) as { noOne: string }).noOne;
    assert.equal(read('numberOne=a'), 'a');
    assert.equal(read('no_one=b'), 'b');
    assert.equal(read('noOne=c'), '', 'lowerCamel of a json_name field is unknown, so ignored');
  });

  it('should write float32 with its own shortest digits (price=11.23)', () => {
    assert.equal(form.marshal({ price: 11.23 }, Complex).toString(), 'price=11.23');
    assert.equal(form.marshal({ price: Math.fround(0.1) }, Complex).toString(), 'price=0.1');
  });

  it('should fail on a repeated message field rather than drop it silently (TestWithUnsupportedType)', () => {
    assert.throws(() => form.marshal({ id: '2233', simples: [{ component: '3344' }] }, Complex),
      (e: unknown) => e instanceof KratosError && e.code === 500 && /simples/.test(e.message));
    assert.equal(form.marshal({ id: '2233', simples: [] }, Complex).toString(), 'id=2233');
  });

  describe('error bodies', () => {
    let s: HttpServer;
    after(() => s.stop());

    it("should encode errors.Status as Kratos' form encoder does", async () => {
      s = new HttpServer({ addr: '127.0.0.1:0' });
      s.route({ method: 'GET', path: '/fail', operation: '/fail', handler: async () => { throw new KratosError(404, 'USER_NOT_FOUND', 'no user 7', { id: '7' }); } });
      await s.start();
      const res = await fetch(`http://127.0.0.1:${s.port}/fail`, { headers: { accept: 'application/x-www-form-urlencoded' } });
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('content-type'), 'application/x-www-form-urlencoded');
      assert.equal(await res.text(), 'code=404&message=no+user+7&metadata%5Bid%5D=7&reason=USER_NOT_FOUND');
    });
  });
});
