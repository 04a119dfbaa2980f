/** One file produced by a generator: where it goes (relative to the output directory) and its text. */
export interface GeneratedFile {
  /** Relative path with `/` separators, e.g. `helloworld/v1/greeter.pb.ts`. */
  path: string;
  content: string;
}
