import assert from 'node:assert/strict';
import { PromiseCounter } from './promise-counter.js';
import { Metadata } from '../../lib/metadata/index.js';
import type { Handler, Middleware } from '../../lib/middleware/index.js';
import { runWithContext, type Context } from '../../lib/transport/index.js';

/** Runs a chain fused (`true`) or nested (`false`) and settles to its result, or a text naming its rejection. */
export type ChainRun = (fused: boolean, m: Middleware[], handler: Handler) => Promise<unknown>;

/**
 * Runs the middleware `make` builds fused and nested, checks both record the same events in the same
 * order and settle the same way, and returns the events and the result.
 */
export async function sameFusedAndNested(run: ChainRun, make: (events: string[]) => Middleware[], handler: Handler): Promise<{ events: string[]; result: unknown }> {
  const nested: string[] = [];
  const fused: string[] = [];
  const a = await run(false, make(nested), handler);
  const b = await run(true, make(fused), handler);
  assert.deepEqual(fused, nested);
  assert.deepEqual(b, a);
  return { events: fused, result: b };
}

/** A unary gRPC server call's context, as a transport makes one. */
export function unaryServerCall(): Context {
  return {
    kind: 'grpc', side: 'server', operation: '/a.B/C', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(), signal: new AbortController().signal,
    deadline: undefined, metadata: new Metadata(), unaryReply: true,
  } as Context;
}

/** Promises created per call through `h`, counted by an async_hooks init hook, a call at a time as a transport runs one. */
async function promisesPerCall(h: Handler, calls: number): Promise<number> {
  const one = (): Promise<unknown> => {
    const ctx = unaryServerCall();
    return runWithContext(ctx, () => h({ name: 'x' }, ctx));
  };
  for (let i = 0; i < 50; i++) await one();
  const counter = new PromiseCounter();
  try {
    for (let i = 0; i < calls; i++) await one();
  } finally {
    counter.stop();
  }
  return counter.made / calls;
}

/** The fewest promises per call over three counts: anything else the process runs meanwhile (the test runner's reporting) only adds. */
export async function fewestPromisesPerCall(h: Handler, calls = 400): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < 3; i++) least = Math.min(least, await promisesPerCall(h, calls));
  return least;
}
