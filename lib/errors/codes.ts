/**
 * Every error the framework itself raises (boot, wiring, options), one stable code each. Codes are
 * never reused once retired; a test pins this list and the README table mirrors it.
 */
export const FRAMEWORK_ERRORS = {
  KRATOS_ERR_PROVIDER_MISSING: {
    description: 'A constructor parameter or factory asks for a token no visible provider supplies.',
    hint: 'Provide the token in this module, or export it from a module listed in `imports`.',
  },
  KRATOS_ERR_DEPENDENCY_CYCLE: {
    description: 'Providers depend on each other in a cycle, so none of them can be built first.',
    hint: 'Break the cycle: move the shared part into a third provider, or inject a factory instead.',
  },
  KRATOS_ERR_PARAM_UNRESOLVABLE: {
    description: 'A constructor parameter has neither emitted type metadata nor an @Inject(token).',
    hint: 'Add @Inject(token) to the parameter, or compile with emitDecoratorMetadata and inject a class.',
  },
  KRATOS_ERR_PROVIDER_DUPLICATE: {
    description: 'Two modules provide the same token with different definitions.',
    hint: 'Provide the token in one module and export it; import that module where it is needed.',
  },
  KRATOS_ERR_PROVIDER_INVALID: {
    description: 'A provider entry is neither a class nor a `{ provide, use* }` object with exactly one use* field.',
    hint: 'Write the provider as a class or as `{ provide, useClass | useValue | useFactory | useExisting }`.',
  },
  KRATOS_ERR_MODULE_INVALID: {
    description: 'A class used as a module is not decorated with @Module, or exports something it cannot see.',
    hint: 'Decorate the class with @Module({...}); export only tokens the module provides or imports.',
  },
  KRATOS_ERR_TOKEN_UNKNOWN: {
    description: 'app.get() asked for a token that the application does not provide.',
    hint: 'Check the token, or add a provider for it to the root module.',
  },
  KRATOS_ERR_LIFECYCLE_FAILED: {
    description: 'A provider lifecycle hook (onInit, onStart, onStop, onDestroy) or a factory threw.',
    hint: 'See the cause; the provider named in the message owns the failing hook.',
  },
  KRATOS_ERR_MIDDLEWARE_INVALID: {
    description: 'A middleware entry is neither a `(next) => handler` function nor a @Middleware class with handle().',
    hint: 'Pass a middleware function or a class decorated with @Middleware() that has handle(next).',
  },
  KRATOS_ERR_ROUTE_INVALID: {
    description: 'An HTTP route has a malformed path, or two handlers claim the same method and path.',
    hint: 'Use paths like `/users/{id}` or `/users/:id`, and give every method and path one handler.',
  },
  KRATOS_ERR_ADDRESS_INVALID: {
    description: 'A server address is not `host:port`, or it could not be listened on.',
    hint: 'Use `0.0.0.0:8000`, `127.0.0.1:0` or `:8000`; pick a free port or stop whatever holds it.',
  },
  KRATOS_ERR_CONFIG_INVALID: {
    description: 'A configuration file does not parse, a configuration value has the wrong type, or a required section is missing.',
    hint: 'Fix the file and key named in the message; YAML and JSON are read by their extension.',
  },
  KRATOS_ERR_OPTIONS_INVALID: {
    description: 'An option passed to the framework has the wrong type or value.',
    hint: 'See the option named in the message and the type its documentation gives.',
  },
  KRATOS_ERR_HOOK_INVALID: {
    description: 'An application hook has an unknown name or is not a function.',
    hint: 'Use beforeStart, afterStart, beforeStop or afterStop with a function value.',
  },
  KRATOS_ERR_APP_STATE: {
    description: 'An application method was called in a state that does not allow it (start after stop, ...).',
    hint: 'Create a new application: an App starts once and stops once.',
  },
  KRATOS_ERR_PROTO_INVALID: {
    description: 'A .proto file does not parse, an import is missing, a named service is not in it, or an error enum code is outside 100..599.',
    hint: 'Fix the file and line named in the message; user imports are searched in the importing file\'s directory and `protoPaths`.',
  },
  KRATOS_ERR_PROTO_BINDING: {
    description: 'A service class and its proto do not match: an rpc without a handler, an @Rpc without an rpc, a streaming mismatch, or a google.api.http rule naming a missing field.',
    hint: 'Make the @Rpc methods of the class match the rpcs of the .proto, and http rules name fields of the request message.',
  },
  KRATOS_ERR_REGISTRY: {
    description: 'Registering or deregistering the app with the service registry failed or took too long.',
    hint: 'Check that the registry (etcd) is reachable at the configured endpoints, or raise registrarTimeout.',
  },
  KRATOS_ERR_PROTO_RULE: {
    description: 'A validation rule (protoc-gen-validate or buf.validate) cannot be honoured: it does not fit the field\'s type, contradicts itself, its pattern is not valid RE2, or it is a CEL expression.',
    hint: 'Fix the rule on the file, message and field named; RE2 has no backreferences or lookarounds, and kratos-ts evaluates no CEL.',
  },
  KRATOS_ERR_AMBIENT_CONTEXT_REQUIRED: {
    description: 'The ambient call context is switched off (ambientContext: false) while a setting that needs it is on: tracing, whose OpenTelemetry context lives in it.',
    hint: 'Switch tracing off as well (tracing: false or config trace.enabled: false), or keep the ambient context on.',
  },
} as const satisfies Record<string, { description: string; hint: string }>;

export type FrameworkErrorCode = keyof typeof FRAMEWORK_ERRORS;

const BRAND = Symbol.for('kratos-ts/FrameworkError');

/** An error raised by the framework itself, with a stable code and a hint on how to fix it. */
export class FrameworkError extends Error {
  readonly [BRAND] = true;
  readonly code: FrameworkErrorCode;
  readonly hint: string;

  constructor(code: FrameworkErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    const hint = options.hint ?? FRAMEWORK_ERRORS[code].hint;
    super(`${code}: ${message}\n  Hint: ${hint}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FrameworkError';
    this.code = code;
    this.hint = hint;
  }

  /** True for a framework error made by any copy of this package. */
  static isFrameworkError(value: unknown): value is FrameworkError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
