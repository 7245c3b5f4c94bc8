import { parse as parseYaml } from 'yaml';
import type { IncomingMessage } from 'node:http';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../../machinery/status.js';
import { exceedsDepth, MAX_JSON_DEPTH } from '../../machinery/json-depth.js';

/** The largest request body the server reads, as upstream's 3 MiB limit. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Reads a request body, failing with 413 as soon as it passes `limit` bytes (a declared length over
 * the limit was already refused by the body-limit filter; this catches bodies that grow past it).
 */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw requestEntityTooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type of a Content-Type header, without parameters, lower-cased. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

const READABLE = ['application/json', 'application/yaml'];

/**
 * Decodes a JSON or YAML request body into a value. Malformed input answers 400; other media types
 * answer 415 in upstream's wording.
 */
export function decodeBody(body: Buffer, contentType: string | undefined, accepted: string[] = READABLE): unknown {
  const type = mediaType(contentType) || 'application/json';
  if (!accepted.includes(type)) throw unsupportedMediaType(type, accepted);
  const text = body.toString('utf8');
  if (type === 'application/yaml') {
    let value: unknown;
    let json: Buffer;
    try {
      // maxAliasCount guards against alias expansion bombs.
      value = parseYaml(text, { maxAliasCount: 100, uniqueKeys: false });
      json = Buffer.from(JSON.stringify(value) ?? 'null');
    } catch (err) {
      throw badRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
    }
    if (exceedsDepth(json, MAX_JSON_DEPTH)) throw badRequest('error converting YAML to JSON: exceeded max depth');
    return value;
  }
  if (exceedsDepth(body, MAX_JSON_DEPTH)) throw badRequest(`couldn't get version/kind; json parse error: exceeded max depth`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}
