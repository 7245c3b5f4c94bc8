import { MAX_BODY_BYTES } from '../request/body.js';
import { requestEntityTooLarge } from '../../machinery/status.js';
import type { Filter } from '../request/context.js';

/** Refuses a request whose declared body is over the limit (413) before any handler reads it. */
export const withBodyLimit: Filter = async (ctx, next) => {
  const declared = Number(ctx.req.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) {
    ctx.req.resume();
    ctx.res.setHeader('Connection', 'close');
    throw requestEntityTooLarge(MAX_BODY_BYTES);
  }
  await next(ctx);
};
