import { token } from '../container/index.js';
import type { Meter } from '../metrics/index.js';
import type { Tracing } from '../tracing/index.js';

/** The app's meter (Prometheus unless metrics are off), for client middleware and custom metrics. */
export const METER = token<Meter>('Meter');
/** The app's tracing, for client middleware (`tracingClient(tracing)`); undefined when tracing is off. */
export const TRACING = token<Tracing | undefined>('Tracing');
