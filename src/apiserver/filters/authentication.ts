import { unauthorized } from '../../machinery/status.js';
import { authenticateClientCertificate } from '../authn/x509.js';
import type { Filter } from '../request/context.js';

/** Paths that an anonymous client may read, as upstream allows for health checks and the version. */
const ANONYMOUS_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

/**
 * Authenticates the request (x509 client certificates) and sets `ctx.user`. A request without
 * valid credentials answers 401, except the anonymous health and version paths (and even those
 * when the request presents credentials that nothing accepts, such as an unknown bearer token).
 */
export const withAuthentication: Filter = async (ctx, next) => {
  const user = authenticateClientCertificate(ctx.req);
  if (user) {
    ctx.user = user;
  } else {
    // Credentials that no authenticator accepts are refused even where anonymous access is allowed.
    if (ctx.req.headers.authorization) throw unauthorized();
    const base = '/' + (ctx.url.pathname.split('/')[1] ?? '');
    if (!ANONYMOUS_PATHS.has(base)) throw unauthorized();
    ctx.user = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
  }
  await next(ctx);
};
