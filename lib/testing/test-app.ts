import 'reflect-metadata';
import { join } from 'node:path';
import { createApp, defaultConfigDir, type App, type AppOptions } from '../app/index.js';
import { FrameworkError } from '../errors/index.js';
import type { Class, Provider, ProviderToken } from '../container/index.js';
import { NoopLogger } from '../log/index.js';

/** Options of {@link createTestApp}. */
export interface TestAppOptions extends Omit<AppOptions, 'overrides'> {
  /** Replacements by token, wherever the token was declared, middleware classes included. */
  overrides?: Provider[];
  /**
   * Load the project's `configs/` (the directory `createApp` would read for the test's entry: beside it,
   * else at the project root, the nearest package.json upwards), with `config` merged over it.
   * Default false: only `config`. Addresses stay 127.0.0.1:0 whatever the files say.
   */
  projectConfigs?: boolean;
}

function projectConfigDir(): string {
  const dir = defaultConfigDir() ?? defaultConfigDir(join(process.cwd(), 'index.js'));
  if (dir === undefined) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `createTestApp({ projectConfigs: true }): no configs/ beside ${process.argv[1] ?? 'the entry'} or at its project root`, {
      hint: 'Run the test from inside the project, or pass configDir with the directory to read.',
    });
  }
  return dir;
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
 * and the given overrides and in-memory config (over the project's configs/ with `projectConfigs`).
 */
export async function createTestApp(root: Class, options: TestAppOptions = {}): Promise<TestApp> {
  const { projectConfigs, ...appOptions } = options;
  const app = await createApp(root, {
    logger: new NoopLogger(),
    configDir: projectConfigs === true ? projectConfigDir() : false,
    stopTimeout: 2000,
    signals: [],
    ...appOptions,
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
