import { PROTOBUF_MEDIA_TYPE, ProtobufError, type ProtobufCodec } from '../../api/protobuf/codec.js';
import type { SchemaRegistry } from '../../api/schema/registry.js';
import { badRequest, unsupportedMediaType } from '../../machinery/status.js';
import { decodeBody, mediaType } from './body.js';

/** The media types an object body may come in. */
const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', PROTOBUF_MEDIA_TYPE];

/**
 * Decodes the body of a create, update or delete: JSON, YAML, or Kubernetes protobuf (what kubectl
 * 1.32+ sends for typed creates), always to the JSON form of the object. A protobuf body must carry
 * the kind the endpoint expects (`group`/`version`/`kind`), described in the schema registry.
 */
export class ObjectBodyDecoder {
  constructor(private readonly schemas: SchemaRegistry, private readonly codec: ProtobufCodec) {}

  /** Decodes `body` sent with `contentType` to an endpoint of `group`/`version`/`kind`. */
  decode(body: Buffer, contentType: string | undefined, expected: { group: string; version: string; kind: string }): unknown {
    const type = mediaType(contentType);
    if (type !== PROTOBUF_MEDIA_TYPE) return decodeBody(body, contentType, OBJECT_MEDIA_TYPES);
    try {
      const env = this.codec.unwrap(body);
      if (env.kind !== expected.kind) {
        throw badRequest(`${env.kind} in version "${env.apiVersion}" cannot be handled as a ${expected.kind}: the body names another kind`);
      }
      // The endpoint decides the type; the envelope only has to name the same kind.
      const def = this.schemas.kind(expected.group, expected.version, expected.kind);
      if (!def) throw unsupportedMediaType(type, ['application/json', 'application/yaml']);
      return { apiVersion: env.apiVersion, kind: env.kind, ...this.codec.decode(def.name, env.raw) };
    } catch (err) {
      if (err instanceof ProtobufError) throw badRequest(err.message);
      throw err;
    }
  }
}
