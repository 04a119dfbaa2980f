import { token } from '../container/index.js';
/** The app's meter (Prometheus unless metrics are off), for client middleware and custom metrics. */
export const METER = token('Meter');
/** The app's tracing, for client middleware (`tracingClient(tracing)`); undefined when tracing is off. */
export const TRACING = token('Tracing');
