import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, SLOT, valuer } from '../../../lib/log/index.js';
import { bytesPerCall } from '../../helpers/allocations.js';

// The built library's log files (dist/lib/log), not this test's own.
const OURS = ['/dist/lib/log/'];

// An access line as the defaults write it: the logger's fields (a timestamp and trace ids read per
// line, here constant strings so that only the log's own allocation is counted), the operation's
// constant part, and a call's args and latency. Rendered as a string and encoded (main before the
// eighth round), each line made its text, its pieces and their flattening in lib/log: about 1 KB a
// line on gRPC (docs/performance.md "The seventh round: gRPC defaults, allocation per call"). Written
// as bytes, a line makes its latency's digits and its share of the turn's Buffer.
describe('the access line, allocation per line', () => {
  it('should write a line of the defaults\' shape into the turn\'s bytes without making its text', async () => {
    const stream = new Writable({ write(_chunk: Buffer, _e, cb) { cb(); } });
    const ts = '2026-11-28T12:00:00.000Z';
    const trace = 'a'.repeat(32);
    const span = 'b'.repeat(16);
    const logger = createLogger({
      fields: ['ts', valuer(() => ts), 'service.id', 'host-1', 'service.name', 'helloworld', 'service.version', 'v1', 'trace.id', valuer(() => trace), 'span.id', valuer(() => span)],
    });
    // The default stream is process.stdout, batched; the batch writes to it once a turn.
    const write = process.stdout.write;
    process.stdout.write = stream.write.bind(stream) as typeof process.stdout.write;
    try {
      const ok = logger.prepare(['kind', 'server', 'component', 'grpc', 'operation', '/helloworld.v1.Greeter/SayHello', 'args', SLOT, 'code', 200, 'reason', '', 'stack', '', 'latency', SLOT]);
      const values = ['{"name":"kratos"}', 0];
      let n = 0;
      const run = async (): Promise<void> => {
        values[1] = (++n % 1000) * 1.37e-5;
        ok('info', values);
        // About the lines of a saturated server's turn, then the turn ends and they are written.
        if (n % 40 === 0) await new Promise((resolve) => setImmediate(resolve));
      };
      const { total, byFunction } = await bytesPerCall(run, OURS, 20_000);
      assert.ok(total < 100, `${total.toFixed(0)} bytes a line: ${JSON.stringify([...byFunction])}`);
    } finally {
      process.stdout.write = write;
    }
  });
});
