import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameworkError } from '../../../lib/errors/index.js';
import { CodecRegistry, defaultCodecs, type Codec } from '../../../lib/encoding/index.js';

function fakeCodec(name: string, contentType = `application/${name}`): Codec {
  return {
    name,
    contentType,
    marshal: (value) => Buffer.from(String(value)),
    unmarshal: (data) => data.toString(),
  };
}

describe('CodecRegistry', () => {
  describe('defaultCodecs', () => {
    it('should register json, proto (with aliases), form, yaml (with x-yaml) and xml', () => {
      const registry = defaultCodecs();
      assert.equal(registry.get('json')?.contentType, 'application/json');
      assert.equal(registry.get('proto')?.contentType, 'application/x-protobuf');
      assert.equal(registry.get('x-protobuf'), registry.get('proto'));
      assert.equal(registry.get('protobuf'), registry.get('proto'));
      assert.equal(registry.get('x-www-form-urlencoded')?.name, 'x-www-form-urlencoded');
      assert.equal(registry.get('yaml')?.contentType, 'application/yaml');
      assert.equal(registry.get('x-yaml'), registry.get('yaml'));
      assert.equal(registry.get('xml')?.contentType, 'application/xml');
    });

    it('should return a new registry each call', () => {
      const a = defaultCodecs();
      a.register(fakeCodec('json'));
      assert.equal(defaultCodecs().get('json')?.contentType, 'application/json');
      assert.notEqual(a.get('json'), defaultCodecs().get('json'));
    });
  });

  describe('.register', () => {
    it('should key codecs by lower-cased name and let a later registration replace', () => {
      const registry = defaultCodecs();
      const custom = fakeCodec('JSON', 'application/json; custom');
      registry.register(custom);
      assert.equal(registry.get('json'), custom);
      assert.equal(registry.get('Json'), custom);
      assert.equal(registry.forAccept(undefined), custom);
    });

    it('should add a new codec reachable by name and alias', () => {
      const registry = defaultCodecs();
      const msgpack = fakeCodec('msgpack', 'application/msgpack');
      registry.register(msgpack, 'x-msgpack');
      assert.equal(registry.forContentType('application/x-msgpack'), msgpack);
      assert.equal(registry.forAccept('application/msgpack'), msgpack);
    });

    it('should reject a codec without a name with KRATOS_ERR_OPTIONS_INVALID', () => {
      const registry = new CodecRegistry();
      assert.throws(
        () => registry.register(fakeCodec('')),
        (err) => FrameworkError.isFrameworkError(err) && err.code === 'KRATOS_ERR_OPTIONS_INVALID',
      );
      assert.throws(() => registry.register(fakeCodec('a'), ' '), FrameworkError);
    });
  });

  describe('.forContentType', () => {
    const registry = defaultCodecs();

    it('should ignore parameters, case and whitespace', () => {
      assert.equal(registry.forContentType('application/json; charset=utf-8')?.name, 'json');
      assert.equal(registry.forContentType(' Application/JSON ;charset=UTF-8')?.name, 'json');
      assert.equal(registry.forContentType('application/x-www-form-urlencoded')?.name, 'x-www-form-urlencoded');
      assert.equal(registry.forContentType('application/x-protobuf')?.name, 'proto');
      assert.equal(registry.forContentType('application/proto')?.name, 'proto');
      assert.equal(registry.forContentType('text/xml')?.name, 'xml');
    });

    it('should map +json (and other +suffix) types to the suffix codec', () => {
      assert.equal(registry.forContentType('application/problem+json')?.name, 'json');
      assert.equal(registry.forContentType('application/vnd.api+json; charset=utf-8')?.name, 'json');
      assert.equal(registry.forContentType('application/atom+xml')?.name, 'xml');
    });

    it('should give undefined for unknown or missing content types', () => {
      assert.equal(registry.forContentType('text/plain'), undefined);
      assert.equal(registry.forContentType('application/octet-stream'), undefined);
      assert.equal(registry.forContentType(''), undefined);
      assert.equal(registry.forContentType(undefined), undefined);
    });
  });

  describe('.forAccept', () => {
    const registry = defaultCodecs();

    it('should take the first listed registered type, whatever the q values', () => {
      assert.equal(registry.forAccept('application/xml, application/json')?.name, 'xml');
      assert.equal(registry.forAccept('text/html, application/yaml;q=0.1, application/json;q=0.9').name, 'yaml');
      assert.equal(registry.forAccept('application/x-protobuf').name, 'proto');
    });

    it('should choose again once a codec for a remembered Accept value is registered', () => {
      const own = defaultCodecs();
      assert.equal(own.forAccept('application/msgpack').name, 'json');
      const msgpack = { name: 'msgpack', contentType: 'application/msgpack', marshal: () => Buffer.alloc(0), unmarshal: () => ({}) };
      own.register(msgpack);
      assert.equal(own.forAccept('application/msgpack'), msgpack);
    });

    it('should fall back to json for */*, nothing or only unknown types', () => {
      assert.equal(registry.forAccept('*/*').name, 'json');
      assert.equal(registry.forAccept('application/*').name, 'json');
      assert.equal(registry.forAccept(undefined).name, 'json');
      assert.equal(registry.forAccept('').name, 'json');
      assert.equal(registry.forAccept('text/html, image/png').name, 'json');
    });

    it('should honour +json suffixes in Accept', () => {
      assert.equal(registry.forAccept('application/problem+json, application/xml').name, 'json');
    });

    it('should fail with KRATOS_ERR_OPTIONS_INVALID when no json codec exists to fall back to', () => {
      assert.throws(() => new CodecRegistry().forAccept('*/*'), FrameworkError);
    });
  });
});
