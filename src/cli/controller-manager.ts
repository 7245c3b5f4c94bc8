import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { configFromKubeconfig } from '../client/config.js';
import { startControllerManager } from '../controllers/manager.js';
import { untilSignal } from './until-signal.js';

/**
 * `tskube controller-manager --kubeconfig FILE`: the controllers as their own process, talking to
 * the API server named in the kubeconfig with the identity it holds. `--controllers` takes
 * kube-controller-manager's list syntax (`*`, `name`, `-name`); `--leader-elect=false` skips the
 * Lease (default true). `--root-ca-file` is the CA published as `kube-root-ca.crt` (default the
 * kubeconfig's CA).
 */
export async function runControllerManager(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: 'string' },
      controllers: { type: 'string', default: '*' },
      'leader-elect': { type: 'string', default: 'true' },
      'root-ca-file': { type: 'string' },
    },
    strict: true,
  });
  if (!values.kubeconfig) throw new Error('--kubeconfig is required');
  const client = configFromKubeconfig(await readFile(values.kubeconfig, 'utf8'));
  const rootCaPem = values['root-ca-file'] ? await readFile(values['root-ca-file'], 'utf8') : client.caPem;
  const manager = startControllerManager({
    client,
    controllers: values.controllers!.split(',').map((s) => s.trim()).filter(Boolean),
    leaderElect: values['leader-elect'] !== 'false',
    options: { rootCaPem },
  });
  process.stdout.write(`controller-manager: running ${manager.controllers.join(', ') || 'no controllers'}\n`);
  await untilSignal();
  await manager.stop();
  return 0;
}
