// The OTel SDK parts tracing builds with (about 90 CommonJS modules), the one place they are imported.
// The build (scripts/bundle-vendor.mjs) turns the compiled file into one module holding them, with
// @opentelemetry/api left outside (its globals must be the process' one copy); the tracing files load
// it on first use through lazyRequire. Exporters and sdk-node's env helpers stay separate packages.
import * as asyncHooks from '@opentelemetry/context-async-hooks';
import * as core from '@opentelemetry/core';
import * as resources from '@opentelemetry/resources';
import * as sdk from '@opentelemetry/sdk-trace-base';

export { asyncHooks, core, resources, sdk };
