/**
 * tskube's own descriptions of coordination.k8s.io/v1 types and fields ('Type' or 'Type.field' →
 * text), merged into the generated v1.ts by scripts/gen-api-types.mjs.
 */
export const COORDINATION_V1_DESCRIPTIONS: Record<string, string> = {
  Lease: 'A lock held for a limited time, used for leader election and node heartbeats.',
  'Lease.spec': 'Who holds the lease and until when.',
  LeaseSpec: 'The state of a lease.',
  'LeaseSpec.holderIdentity': 'Who holds the lease.',
  'LeaseSpec.leaseDurationSeconds': 'Seconds the holder may keep the lease without renewing it.',
  'LeaseSpec.acquireTime': 'When the current holder took the lease.',
  'LeaseSpec.renewTime': 'When the current holder last renewed the lease.',
  'LeaseSpec.leaseTransitions': 'How many times the lease has changed hands.',
  'LeaseSpec.strategy': 'How the next holder is chosen when coordinated leader election is in use.',
  'LeaseSpec.preferredHolder': 'The identity that should take the lease next, with coordinated leader election.',
};
