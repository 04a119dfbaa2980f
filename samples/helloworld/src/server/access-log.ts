import { Logger, type Handler } from 'kratos-ts';
import { Middleware } from 'kratos-ts/decorators';

/** One line per call with its operation, outcome and latency. */
@Middleware()
export class AccessLog {
  constructor(private readonly log: Logger) {}

  handle(next: Handler): Handler {
    return async (req, ctx) => {
      const start = performance.now();
      let code = 200;
      try {
        return await next(req, ctx);
      } catch (err) {
        code = (err as { code?: number }).code ?? 500;
        throw err;
      } finally {
        this.log.info('request', 'operation', ctx.operation, 'code', code, 'latency', ((performance.now() - start) / 1000).toFixed(6));
      }
    };
  }
}
