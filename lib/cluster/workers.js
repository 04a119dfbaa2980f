import { availableParallelism } from 'node:os';
import { FrameworkError } from '../errors/index.js';
/**
 * How many worker processes `workers` (option or config `server.workers`) asks for: a whole number,
 * or 'auto' for one per available core. 0 and 1 mean no cluster: the app serves in its own process.
 */
export function workerCount(workers) {
    if (workers === undefined || workers === null || workers === '')
        return 0;
    if (workers === 'auto')
        return availableParallelism();
    const n = typeof workers === 'number' ? workers : typeof workers === 'string' && /^\s*\d+\s*$/.test(workers) ? Number(workers) : NaN;
    if (!Number.isInteger(n) || n < 0) {
        throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `server.workers must be a whole number >= 0 or 'auto', got ${JSON.stringify(workers)}`);
    }
    return n;
}
