import type { KubeClient } from '../../client/index.js';
import type { ReplicaSet, ReplicaSetStatus } from '../util/types.js';
import { cleanRSStatus, rsStatusUnchanged } from './status.js';

/** Status writes tried again (after a fresh read) when the first one fails. */
const STATUS_UPDATE_RETRIES = 1;

/**
 * Writes `status` (with observedGeneration set to the ReplicaSet's generation) through the status
 * subresource unless nothing would change; on failure re-reads the ReplicaSet and tries once more.
 * Resolves the ReplicaSet as stored.
 */
export async function writeRSStatus(client: KubeClient, rs: ReplicaSet, status: ReplicaSetStatus): Promise<ReplicaSet> {
  if (rsStatusUnchanged(rs, status)) return rs;
  const next = cleanRSStatus({ ...status, observedGeneration: rs.metadata.generation ?? 0 });
  let current: ReplicaSet = rs;
  for (let i = 0; ; i++) {
    try {
      return await client.replicaSets.updateStatus({ ...current, status: next }) as ReplicaSet;
    } catch (e) {
      if (i >= STATUS_UPDATE_RETRIES) throw e;
      current = await client.replicaSets.get(rs.metadata.name!, rs.metadata.namespace) as ReplicaSet;
    }
  }
}
