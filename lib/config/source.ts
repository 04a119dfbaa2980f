/** One tree a source contributes, and where it came from (a file path, 'env', ...), for messages. */
export interface ConfigLayer {
  tree: Record<string, unknown>;
  origin: string;
}

/**
 * Where configuration comes from (docs/config-and-logging.md#configuration): files, the environment, memory, etcd. `load` reads the
 * current layers; `watch`, when the source can change, calls `onChange` after each change and
 * returns a function that stops watching.
 */
export interface ConfigSource {
  readonly name: string;
  load(): Promise<ConfigLayer[]> | ConfigLayer[];
  watch?(onChange: () => void): Promise<() => void> | (() => void);
}
