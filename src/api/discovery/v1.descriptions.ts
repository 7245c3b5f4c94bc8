/**
 * tskube's own descriptions of discovery.k8s.io/v1 types and fields ('Type' or 'Type.field' →
 * text), merged into the generated v1.ts by scripts/gen-api-types.mjs.
 */
export const DISCOVERY_V1_DESCRIPTIONS: Record<string, string> = {
  EndpointSlice: 'A subset of the network endpoints behind a service, with their readiness and topology.',
  'EndpointSlice.addressType': 'The kind of every address in the slice: IPv4, IPv6 or FQDN.',
  'EndpointSlice.endpoints': 'The endpoints in the slice; at most 1000.',
  'EndpointSlice.ports': 'The ports every endpoint of the slice serves.',
  Endpoint: 'One network endpoint, usually a pod.',
  'Endpoint.addresses': 'The endpoint\'s addresses, of the slice\'s address type.',
  'Endpoint.conditions': 'Whether the endpoint is ready, serving and terminating.',
  'Endpoint.hostname': 'A DNS label naming the endpoint.',
  'Endpoint.targetRef': 'The object the endpoint stands for, such as a pod.',
  'Endpoint.deprecatedTopology': 'Topology labels of the endpoint (deprecated; use nodeName and zone).',
  'Endpoint.nodeName': 'The node hosting the endpoint.',
  'Endpoint.zone': 'The zone the endpoint is in.',
  'Endpoint.hints': 'Hints for topology-aware routing.',
  EndpointConditions: 'The state of an endpoint.',
  'EndpointConditions.ready': 'Whether the endpoint should receive traffic.',
  'EndpointConditions.serving': 'Whether the endpoint can serve, regardless of terminating.',
  'EndpointConditions.terminating': 'Whether the endpoint is shutting down.',
  EndpointPort: 'A port served by the endpoints of a slice.',
  'EndpointPort.name': 'The port\'s name, matching the service port\'s.',
  'EndpointPort.protocol': 'TCP (the default), UDP or SCTP.',
  'EndpointPort.port': 'The port number.',
  'EndpointPort.appProtocol': 'The application protocol spoken on the port.',
  EndpointHints: 'Routing hints for an endpoint.',
  'EndpointHints.forZones': 'The zones whose clients should be sent to this endpoint when topology-aware routing is on.',
  ForZone: 'A zone named in a routing hint.',
  'ForZone.name': 'The name of the zone.',
};
