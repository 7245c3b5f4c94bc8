import type { ListItem } from '../registry/generic-registry.js';

/** The JSON bytes of an object, made once and kept with it. */
export function objectJson(item: ListItem): Buffer {
  let b = item.encoded.get('json');
  if (!b) {
    b = Buffer.from(JSON.stringify(item.object));
    item.encoded.set('json', b);
  }
  return b;
}

/** A `<Kind>List` in JSON, assembled from the items' kept encodings. */
export function listJson(kind: string, apiVersion: string, metadata: Record<string, unknown>, items: ListItem[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`{"kind":"${kind}List","apiVersion":"${apiVersion}","metadata":${JSON.stringify(metadata)},"items":[`)];
  items.forEach((item, i) => {
    if (i > 0) parts.push(Buffer.from(','));
    parts.push(objectJson(item));
  });
  parts.push(Buffer.from(']}'));
  return Buffer.concat(parts);
}
