import { KratosError } from '../errors/index.js';
/** Reason of the 503 sent by the readiness route. */
export const NOT_READY_REASON = 'NOT_READY';
function notReady(report) {
    const metadata = {};
    for (const [name, result] of Object.entries(report.checks)) {
        if (result.status === 'up')
            continue;
        const error = result.details?.['error'];
        metadata[name] = typeof error === 'string' ? error : 'down';
    }
    const failing = Object.keys(metadata);
    const message = failing.length === 0 ? 'service is not ready' : `health checks failed: ${failing.join(', ')}`;
    return new KratosError(503, NOT_READY_REASON, message, metadata);
}
/**
 * GET routes for probes. Liveness answers 200 `{"status":"up"}`. Readiness answers 200 with the
 * {@link ReadinessReport} when up; when down it fails like any other call, with the Kratos error body
 * (503 `NOT_READY`, metadata: failing check name -> its error), so clients parse one error shape.
 */
export function healthRoutes(registry, options = {}) {
    const { livePath = '/healthz', readyPath = '/readyz' } = options;
    return [
        { method: 'GET', path: livePath, operation: livePath, handler: async () => registry.live() },
        {
            method: 'GET',
            path: readyPath,
            operation: readyPath,
            handler: async () => {
                const report = await registry.ready();
                if (report.status !== 'up')
                    throw notReady(report);
                return report;
            },
        },
    ];
}
/**
 * GET `path` (default '/metrics') answering the meter's text exposition. The route is flagged
 * `raw: true` and its handler resolves to a {@link RawReply}; it needs the HTTP server to write raw
 * replies of such routes (until it does, the reply would be JSON-encoded).
 */
export function metricsRoute(meter, path = '/metrics') {
    return {
        method: 'GET',
        path,
        operation: path,
        raw: true,
        handler: async () => ({ contentType: meter.contentType, body: await meter.metrics() }),
    };
}
