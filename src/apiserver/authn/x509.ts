import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../request/context.js';

/**
 * x509 client-certificate authentication: a certificate that the TLS layer verified against the
 * cluster CA names the user (subject CN) and the groups (subject O). Returns null when the request
 * carries no verified certificate.
 */
export function authenticateClientCertificate(req: IncomingMessage): UserInfo | null {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return null;
  // A connection's certificate cannot change, so it is read once per connection.
  const known = bySocket.get(socket);
  if (known !== undefined) return known;
  const user = userOf(socket);
  bySocket.set(socket, user);
  return user;
}

const bySocket = new WeakMap<TLSSocket, UserInfo | null>();

function userOf(socket: TLSSocket): UserInfo | null {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return null;
  const cn = cert.subject.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name) return null;
  const o = cert.subject.O;
  const orgs = o === undefined ? [] : Array.isArray(o) ? o : [o];
  return { name, groups: [...orgs, 'system:authenticated'] };
}
