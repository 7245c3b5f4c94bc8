/**
 * The text upstream hashes when it orders endpoint ports and subsets: Go's `spew` printer with
 * `%#v` (types shown, pointers followed, strings unquoted), then md5 (core Endpoints) or FNV-128a
 * (EndpointSlice ports). Only the shapes the endpoint controllers hash are rendered here; the field
 * order follows the Go structs of core/v1 and discovery/v1.
 */
import { createHash } from 'node:crypto';

/** A core/v1 EndpointPort. */
export interface CoreEndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

/** A core/v1 ObjectReference as the controllers write it into addresses. */
export interface TargetRef {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** A core/v1 EndpointAddress. */
export interface CoreEndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: TargetRef;
}

/** A core/v1 EndpointSubset; an absent list is Go's nil slice. */
export interface CoreEndpointSubset {
  addresses?: CoreEndpointAddress[];
  notReadyAddresses?: CoreEndpointAddress[];
  ports?: CoreEndpointPort[];
}

/** A discovery/v1 EndpointPort (every field a pointer in Go). */
export interface SliceEndpointPort {
  name?: string;
  protocol?: string;
  port?: number;
  appProtocol?: string;
}

/** `(*T)value` or `(*T)<nil>`, as spew prints a pointer field. */
function ptr(type: string, v: string | number | undefined | null): string {
  return v === undefined || v === null ? `(*${type})<nil>` : `(*${type})${v}`;
}

/** A slice field: `([]T)<nil>` for nil, else `([]T)[e1 e2]` with untyped elements. */
function slice<T>(type: string, items: T[] | undefined, body: (x: T) => string): string {
  return items === undefined ? `([]${type})<nil>` : `([]${type})[${items.map(body).join(' ')}]`;
}

function corePortBody(p: CoreEndpointPort): string {
  return `{Name:(string)${p.name ?? ''} Port:(int32)${p.port} Protocol:(v1.Protocol)${p.protocol ?? ''} AppProtocol:${ptr('string', p.appProtocol)}}`;
}

function targetRefText(r: TargetRef | undefined): string {
  if (!r) return '(*v1.ObjectReference)<nil>';
  return `(*v1.ObjectReference){Kind:(string)${r.kind ?? ''} Namespace:(string)${r.namespace ?? ''} Name:(string)${r.name ?? ''} UID:(types.UID)${r.uid ?? ''} APIVersion:(string)${r.apiVersion ?? ''} ResourceVersion:(string)${r.resourceVersion ?? ''} FieldPath:(string)${r.fieldPath ?? ''}}`;
}

function coreAddressBody(a: CoreEndpointAddress): string {
  return `{IP:(string)${a.ip} Hostname:(string)${a.hostname ?? ''} NodeName:${ptr('string', a.nodeName)} TargetRef:${targetRefText(a.targetRef)}}`;
}

/** spew `%#v` of a core/v1 EndpointPort value. */
export function spewCorePort(p: CoreEndpointPort): string {
  return `(v1.EndpointPort)${corePortBody(p)}`;
}

/** spew `%#v` of a core/v1 EndpointSubset value. */
export function spewCoreSubset(s: CoreEndpointSubset): string {
  return `(v1.EndpointSubset){Addresses:${slice('v1.EndpointAddress', s.addresses, coreAddressBody)} NotReadyAddresses:${slice('v1.EndpointAddress', s.notReadyAddresses, coreAddressBody)} Ports:${slice('v1.EndpointPort', s.ports, corePortBody)}}`;
}

/** spew `%#v` of a discovery/v1 EndpointPort value (its package is also named `v1`). */
export function spewSlicePort(p: SliceEndpointPort): string {
  return `(v1.EndpointPort){Name:${ptr('string', p.name)} Protocol:${ptr('v1.Protocol', p.protocol)} Port:${ptr('int32', p.port)} AppProtocol:${ptr('string', p.appProtocol)}}`;
}

/** md5 digest of `text` (Go's `hashutil.DeepHashObject` with md5). */
export function md5Of(text: string): Buffer {
  return createHash('md5').update(text, 'utf8').digest();
}

const FNV128_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const FNV128_PRIME = 0x0000000001000000000000000000013bn;
const MASK128 = (1n << 128n) - 1n;

/** FNV-1a 128-bit digest of `text` as 32 lowercase hex digits (Go's `fnv.New128a` + hex). */
export function fnv128aHex(text: string): string {
  let h = FNV128_OFFSET;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= BigInt(b);
    h = (h * FNV128_PRIME) & MASK128;
  }
  return h.toString(16).padStart(32, '0');
}
