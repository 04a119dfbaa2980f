import { Metadata } from '../../../lib/metadata/index.js';
import { KratosError } from '../../../lib/errors/index.js';
import { type Context } from '../../../lib/transport/index.js';

/** A bare call context; the same object may be passed to next() more than once, as a client's can. */
export function ctxFor(operation: string, options: { side?: 'client' | 'server'; endpoint?: string; deadline?: number; signal?: AbortSignal } = {}): Context {
  return {
    kind: 'grpc',
    side: options.side ?? 'client',
    operation,
    endpoint: options.endpoint ?? '127.0.0.1:9000',
    requestHeader: new Metadata(),
    replyHeader: new Metadata(),
    signal: options.signal ?? new AbortController().signal,
    deadline: options.deadline,
    metadata: new Metadata(),
  };
}

/** A clock tests move by hand. */
export class FakeClock {
  now = 0;
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** Asserts `err` is a KratosError with this code and reason (for assert.rejects / assert.throws). */
export function isKratos(code: number, reason: string): (err: unknown) => boolean {
  return (err) => KratosError.isKratosError(err) && err.code === code && err.reason === reason;
}

/** A reply stream of `values`, recording whether it was finished. */
export function streamOf<T>(values: T[]): AsyncIterable<T> & { finished: boolean } {
  const s = {
    finished: false,
    async *[Symbol.asyncIterator]() {
      try {
        for (const v of values) yield v;
      } finally {
        s.finished = true;
      }
    },
  };
  return s;
}
