import 'reflect-metadata';
import { createApp, type App, type AppOptions } from '../app/index.js';
import type { Class, Provider, ProviderToken } from '../container/index.js';
import { NoopLogger } from '../log/index.js';

/** Options of {@link createTestApp}. */
export interface TestAppOptions extends Omit<AppOptions, 'overrides'> {
  /** Replacements by token, wherever the token was declared, middleware classes included. */
  overrides?: Provider[];
}

/** A started app on 127.0.0.1 with ephemeral ports. */
export interface TestApp {
  readonly app: App;
  /** `http://127.0.0.1:<port>`, or '' without an HTTP server. */
  readonly httpUrl: string;
  /** `127.0.0.1:<port>` of the gRPC server, or '' without one. */
  readonly grpcAddress: string;
  get<T>(token: ProviderToken<T>): T;
  /** Stops the app gracefully. */
  close(): Promise<void>;
}

/**
 * Creates and starts `root` for a test: its own container, 127.0.0.1 and port 0, a silent logger,
 * and the given overrides and in-memory config.
 */
export async function createTestApp(root: Class, options: TestAppOptions = {}): Promise<TestApp> {
  const app = await createApp(root, {
    logger: new NoopLogger(),
    configDir: false,
    stopTimeout: 2000,
    signals: [],
    ...options,
    http: options.http === false ? false : { ...(options.http ?? {}), addr: options.http?.addr ?? '127.0.0.1:0' },
    grpc: options.grpc === false ? false : { ...(options.grpc ?? {}), addr: options.grpc?.addr ?? '127.0.0.1:0' },
  });
  await app.start();
  const port = app.http?.port;
  const grpcPort = app.grpc?.port;
  return {
    app,
    httpUrl: port === undefined ? '' : `http://127.0.0.1:${port}`,
    grpcAddress: grpcPort === undefined ? '' : `127.0.0.1:${grpcPort}`,
    get: (token) => app.get(token),
    close: () => app.stop(),
  };
}
