import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '../server/cluster.js';

const USAGE = `tskube: Kubernetes, written in TypeScript

Usage:
  tskube up      [flags]   start a cluster in the foreground
  tskube server  [flags]   run the API server alone

Flags:
  --data-dir DIR          state and certificates (default ~/.tskube)
  --port N                HTTPS port (default 6443)
  --bind-address ADDR     address to listen on (default 127.0.0.1)
  --storage sqlite|etcd   storage backend (default sqlite)
  --etcd-servers URLS     comma-separated etcd client URLs (with --storage etcd)
  --service-cluster-ip-range CIDR   cluster IPs of services (default 10.96.0.0/12)
  --service-node-port-range RANGE   node ports of services (default 30000-32767)
`;

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
    case 'server':
      return runServer(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`tskube: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

async function runServer(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: join(homedir(), '.tskube') },
      port: { type: 'string', default: '6443' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      storage: { type: 'string', default: 'sqlite' },
      'etcd-servers': { type: 'string' },
      'service-cluster-ip-range': { type: 'string', default: '10.96.0.0/12' },
      'service-node-port-range': { type: 'string', default: '30000-32767' },
    },
    strict: true,
  });
  const storage = values.storage;
  if (storage !== 'sqlite' && storage !== 'etcd') throw new Error(`--storage must be sqlite or etcd, not "${storage}"`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`);
  const etcdServers = values['etcd-servers']?.split(',').map((s) => s.trim()).filter(Boolean);
  if (storage === 'etcd' && !etcdServers?.length) throw new Error('--storage etcd needs --etcd-servers');
  const cluster = await startCluster({
    dataDir: values['data-dir'],
    port,
    bindAddress: values['bind-address'],
    storage,
    etcdServers,
    serviceClusterIpRange: values['service-cluster-ip-range'],
    serviceNodePortRange: values['service-node-port-range'],
  });
  process.stdout.write(`export KUBECONFIG=${cluster.kubeconfigPath}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await cluster.stop();
  return 0;
}
