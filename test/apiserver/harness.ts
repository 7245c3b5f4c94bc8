import { startCluster, type Cluster, type ClusterOptions } from '../../src/server/cluster.js';
import { TestClient } from '../support/client.js';

/** An in-process cluster and an admin client for it. */
export interface Harness {
  cluster: Cluster;
  client: TestClient;
  stop(): Promise<void>;
}

/** Starts an in-process cluster (temp data dir, free port) and an admin TestClient. */
export async function startHarness(opts: ClusterOptions = {}): Promise<Harness> {
  const cluster = await startCluster(opts);
  const client = new TestClient({ server: cluster.server, ca: cluster.credentials.ca, cert: cluster.credentials.cert, key: cluster.credentials.key });
  return {
    cluster,
    client,
    async stop() {
      client.close();
      await cluster.stop();
    },
  };
}
