import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bundledIncludeDir, ProtoLoader } from '../../../lib/proto/index.js';

const bundled = (p: string): string => join(bundledIncludeDir(), p);

describe('ProtoLoader', () => {
  describe('.service', () => {
    describe('having the protos shipped with kratos-ts', () => {
      it('should describe grpc.health.v1.Health with a unary Check and a server-streaming Watch', async () => {
        const s = await new ProtoLoader().service(bundled('grpc/health/v1/health.proto'), 'grpc.health.v1.Health');
        assert.deepEqual(s.methods.map((m) => [m.operation, m.requestStream, m.responseStream]), [
          ['/grpc.health.v1.Health/Check', false, false],
          ['/grpc.health.v1.Health/Watch', false, true],
        ]);
        const status = s.root.lookupEnum('grpc.health.v1.HealthCheckResponse.ServingStatus');
        assert.deepEqual({ ...status.values }, { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 });
      });

      for (const v of ['v1', 'v1alpha']) {
        it(`should describe grpc.reflection.${v}.ServerReflection as a bidi stream with the public field numbers`, async () => {
          const s = await new ProtoLoader().service(bundled(`grpc/reflection/${v}/reflection.proto`), `grpc.reflection.${v}.ServerReflection`);
          const [info] = s.methods;
          assert.deepEqual([info?.name, info?.requestStream, info?.responseStream], ['ServerReflectionInfo', true, true]);
          const ids = (t: string) => Object.fromEntries(s.root.lookupType(`grpc.reflection.${v}.${t}`).fieldsArray.map((f) => [f.name, f.id]));
          assert.deepEqual(ids('ServerReflectionRequest'), { host: 1, fileByFilename: 3, fileContainingSymbol: 4, fileContainingExtension: 5, allExtensionNumbersOfType: 6, listServices: 7 });
          assert.deepEqual(ids('ServerReflectionResponse'), { validHost: 1, originalRequest: 2, fileDescriptorResponse: 4, allExtensionNumbersResponse: 5, listServicesResponse: 6, errorResponse: 7 });
        });
      }

      it('should load google.rpc.Status and its error details from the bundled dir', async () => {
        const root = await new ProtoLoader().load(bundled('google/rpc/error_details.proto'));
        assert.deepEqual(Object.keys(root.lookupType('google.rpc.ErrorInfo').fields), ['reason', 'domain', 'metadata']);
        assert.ok(root.lookupType('google.rpc.BadRequest.FieldViolation'));
        const status = await new ProtoLoader().load(bundled('google/rpc/status.proto'));
        assert.equal(status.lookupType('google.rpc.Status').fields['details']?.type, 'google.protobuf.Any');
      });
    });
  });
});
