/**
 * Image references as container runtimes report them: the familiar name a pod gives (`nginx`)
 * becomes the fully qualified one (`docker.io/library/nginx:latest`), and the content reference
 * is `<repository>@sha256:<digest>`.
 */
import { createHash } from 'node:crypto';

const DEFAULT_DOMAIN = 'docker.io';
const OFFICIAL_PREFIX = 'library/';

/** The parts of an image reference: `domain/path[:tag][@digest]`. */
export interface ImageRefParts {
  domain: string;
  path: string;
  tag: string;
  digest: string;
}

/** Whether the first component of a reference names a registry (has `.` or `:`, or is `localhost`). */
function isDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/**
 * Splits an image reference the way the docker reference grammar does: a first component with
 * `.` or `:` (or `localhost`) is the registry, otherwise `docker.io`; single-component names on
 * docker.io live under `library/`; a missing tag and digest means `latest`.
 */
export function parseImageRef(ref: string): ImageRefParts {
  let rest = ref;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let domain = DEFAULT_DOMAIN;
  const slash = rest.indexOf('/');
  if (slash >= 0 && isDomain(rest.slice(0, slash))) {
    domain = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (domain === DEFAULT_DOMAIN && !rest.includes('/')) rest = OFFICIAL_PREFIX + rest;
  if (!tag && !digest) tag = 'latest';
  return { domain, path: rest, tag, digest };
}

/** The normalized form of a reference: `docker.io/library/nginx:latest` for `nginx`. */
export function normalizeImage(ref: string): string {
  const p = parseImageRef(ref);
  let out = `${p.domain}/${p.path}`;
  if (p.tag) out += `:${p.tag}`;
  if (p.digest) out += `@${p.digest}`;
  return out;
}

/** The repository of a reference without tag or digest: `docker.io/library/nginx`. */
export function imageRepository(ref: string): string {
  const p = parseImageRef(ref);
  return `${p.domain}/${p.path}`;
}

/**
 * A stable content digest for a reference (`sha256:<64 hex>`): the given digest when the
 * reference pins one, else a hash of the normalized name (what a simulated registry serves).
 */
export function imageDigest(ref: string): string {
  const p = parseImageRef(ref);
  if (p.digest) return p.digest;
  return `sha256:${createHash('sha256').update(normalizeImage(ref)).digest('hex')}`;
}

/** The content reference a runtime reports as a container's imageID: `docker.io/library/nginx@sha256:…`. */
export function imageContentRef(ref: string): string {
  return `${imageRepository(ref)}@${imageDigest(ref)}`;
}

/**
 * The pull policy a container gets when it names none, as upstream's defaulting: `Always` for
 * the `latest` tag or no tag (unless pinned by digest), else `IfNotPresent`.
 */
export function defaultPullPolicy(ref: string): 'Always' | 'IfNotPresent' {
  const p = parseImageRef(ref);
  if (p.digest) return 'IfNotPresent';
  return p.tag === 'latest' ? 'Always' : 'IfNotPresent';
}
