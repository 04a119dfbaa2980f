/** A transport server the app starts and stops (docs/architecture.md#transports-servers-contexts-and-headers). */
export interface Server {
  /** Binds and starts serving; resolves once the server accepts connections. */
  start(): Promise<void>;
  /** Stops accepting, lets calls in flight finish until `deadline` (epoch ms), then closes what is left. */
  stop(deadline?: number): Promise<void>;
  /** The advertised URL (`http://10.0.0.5:8000`); valid after start. */
  endpoint(): string;
}
