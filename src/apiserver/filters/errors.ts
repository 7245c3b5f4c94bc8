import { ApiError, internalError } from '../../machinery/status.js';
import { writeJson, type Filter } from '../request/context.js';

/**
 * Outermost filter: whatever a later step throws becomes a `metav1.Status` answer, so no error
 * escapes as a dropped connection. Unexpected errors are logged and answered 500.
 */
export const withErrorHandling: Filter = async (ctx, next) => {
  try {
    await next(ctx);
  } catch (err) {
    const apiErr = err instanceof ApiError ? err : internalError(err);
    if (!(err instanceof ApiError)) console.error(`internal error on ${ctx.req.method} ${ctx.url.pathname}:`, err);
    if (ctx.res.headersSent) {
      ctx.res.destroy();
      return;
    }
    writeJson(ctx.res, apiErr.code, apiErr.toStatus());
  }
};
