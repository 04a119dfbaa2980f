// The middleware core: the handler shape, chains, the call-end primitive and operation matching. Each middleware lives in its
// own folder (logging, metrics, tracing, recovery, metadata, validate, selector) with its own index.
export type { Handler, Middleware } from './types.js';
export { chain } from './chain.js';
export { onCallEnd, isAsyncIterable, cancellation, CallStream } from './call-end.js';
export type { CallOutcome, OnCallEnd, CallScope } from './call-end.js';
export { staged, stageOf, fuseRuns, STAGE, UNWATCHED } from './stage.js';
export type { Stage, StagedMiddleware } from './stage.js';
export { SyncReplies, SyncIteratorAdapter, asReplyStream, syncIteratorOf, writeReplies } from './reply-stream.js';
export type { ReplySink } from './reply-stream.js';
export { selective, isSelective, compileMatchers, chainFor, APPLIES_TO } from './operations.js';
export type { OperationMatcher, SelectiveMiddleware } from './operations.js';
