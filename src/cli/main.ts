// Each command's module is loaded only when it runs, so that `tskube server` carries no
// controller, scheduler or kubelet code in its memory.

const USAGE = `tskube: Kubernetes, written in TypeScript

Usage:
  tskube up                  [flags]   start a cluster in the foreground: API server, controller
                                       manager, scheduler (and simulated nodes with --sim-nodes)
  tskube server              [flags]   run the API server alone
  tskube controller-manager  --kubeconfig FILE [--controllers LIST] [--leader-elect=false]
  tskube scheduler           --kubeconfig FILE [--leader-elect=false]
  tskube sim-nodes           --kubeconfig FILE --count N [--pod-run-time 5s]

Flags of up and server:
  --data-dir DIR          state and certificates (default ~/.tskube)
  --port N                HTTPS port (default 6443)
  --bind-address ADDR     address to listen on (default 127.0.0.1)
  --storage sqlite|etcd   storage backend (default sqlite)
  --etcd-servers URLS     comma-separated etcd client URLs (with --storage etcd)
  --etcd-compaction-interval DURATION   how often old revisions are compacted (default 5m)
  --service-cluster-ip-range CIDR   cluster IPs of services (default 10.96.0.0/12)
  --service-node-port-range RANGE   node ports of services (default 30000-32767)
Flags of up only:
  --sim-nodes N           run N simulated nodes (default 0)
  --controllers LIST      controllers to run (default *)
`;

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      return (await import('./up.js')).runServer(rest, true);
    case 'server':
      return (await import('./up.js')).runServer(rest, false);
    case 'controller-manager':
      return (await import('./controller-manager.js')).runControllerManager(rest);
    case 'scheduler':
      return (await import('./scheduler.js')).runSchedulerCommand(rest);
    case 'sim-nodes':
      return (await import('./sim-nodes.js')).runSimNodesCommand(rest);
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
