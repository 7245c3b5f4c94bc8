import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseGoDuration } from '../machinery/duration.js';
import { startCluster } from '../server/cluster.js';
import { startComponentProcesses } from './component-processes.js';
import { untilSignal } from './until-signal.js';

/**
 * `tskube up` and `tskube server`: the API server in this process; with `up`, also the
 * controller manager, the scheduler and (with `--sim-nodes N`) simulated nodes, each in its own
 * child process with its own kubeconfig, so they use the other core and talk to the API server
 * as separate binaries would.
 */
export async function runServer(args: string[], wholeCluster: boolean): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: join(homedir(), '.tskube') },
      port: { type: 'string', default: '6443' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      storage: { type: 'string', default: 'sqlite' },
      'etcd-servers': { type: 'string' },
      'etcd-compaction-interval': { type: 'string', default: '5m' },
      'service-cluster-ip-range': { type: 'string', default: '10.96.0.0/12' },
      'service-node-port-range': { type: 'string', default: '30000-32767' },
      ...(wholeCluster ? {
        'sim-nodes': { type: 'string', default: '0' },
        controllers: { type: 'string', default: '*' },
      } as const : {}),
    },
    strict: true,
  });
  const storage = values.storage;
  if (storage !== 'sqlite' && storage !== 'etcd') throw new Error(`--storage must be sqlite or etcd, not "${storage}"`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`);
  const etcdServers = values['etcd-servers']?.split(',').map((s) => s.trim()).filter(Boolean);
  if (storage === 'etcd' && !etcdServers?.length) throw new Error('--storage etcd needs --etcd-servers');
  const compactionIntervalMs = parseGoDuration(values['etcd-compaction-interval']!);
  const simNodes = Number((values as Record<string, unknown>)['sim-nodes'] ?? 0);
  if (!Number.isInteger(simNodes) || simNodes < 0) throw new Error(`--sim-nodes must be a count, not "${(values as Record<string, unknown>)['sim-nodes']}"`);
  const cluster = await startCluster({
    dataDir: values['data-dir'],
    port,
    bindAddress: values['bind-address'],
    storage,
    etcdServers,
    compactionIntervalMs: compactionIntervalMs > 0 ? compactionIntervalMs : undefined,
    serviceClusterIpRange: values['service-cluster-ip-range'],
    serviceNodePortRange: values['service-node-port-range'],
  });
  const components = wholeCluster
    ? startComponentProcesses(cluster.dataDir, { controllers: String((values as Record<string, unknown>).controllers), simNodes })
    : undefined;
  await components?.ready();
  process.stdout.write(`export KUBECONFIG=${cluster.kubeconfigPath}\n`);
  await untilSignal();
  await components?.stop();
  await cluster.stop();
  return 0;
}
