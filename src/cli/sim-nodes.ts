import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { configFromKubeconfig } from '../client/config.js';
import { startSimulatedNodesComponent } from '../server/components.js';
import { parseGoDuration } from '../machinery/duration.js';
import { untilSignal } from './until-signal.js';

/**
 * `tskube sim-nodes --kubeconfig FILE --count N`: N simulated nodes (no containers) in one
 * process; `--pod-run-time` is how long pods that may finish run before they succeed.
 */
export async function runSimNodesCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: 'string' },
      count: { type: 'string', default: '1' },
      'name-prefix': { type: 'string', default: 'sim-node-' },
      'pod-run-time': { type: 'string', default: '5s' },
    },
    strict: true,
  });
  if (!values.kubeconfig) throw new Error('--kubeconfig is required');
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive count, not "${values.count}"`);
  const config = configFromKubeconfig(await readFile(values.kubeconfig, 'utf8'));
  const sim = await startSimulatedNodesComponent(config, { count, namePrefix: values['name-prefix'], podRunTimeMs: parseGoDuration(values['pod-run-time']!) });
  process.stdout.write(`sim-nodes: running ${sim.nodes.names.length} nodes\n`);
  await untilSignal();
  await sim.stop();
  return 0;
}
