import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { configFromKubeconfig } from '../client/config.js';
import { startSchedulerComponent } from '../server/components.js';
import { untilSignal } from './until-signal.js';

/**
 * `tskube scheduler --kubeconfig FILE`: the scheduler as its own process, leader-elected on
 * kube-system/kube-scheduler unless `--leader-elect=false`.
 */
export async function runSchedulerCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: 'string' },
      'leader-elect': { type: 'string', default: 'true' },
      'percentage-of-nodes-to-score': { type: 'string', default: '0' },
    },
    strict: true,
  });
  if (!values.kubeconfig) throw new Error('--kubeconfig is required');
  const config = configFromKubeconfig(await readFile(values.kubeconfig, 'utf8'));
  const pct = Number(values['percentage-of-nodes-to-score']);
  if (!Number.isInteger(pct) || pct < 0 || pct > 100) throw new Error(`--percentage-of-nodes-to-score must be 0–100, not "${values['percentage-of-nodes-to-score']}"`);
  const scheduler = startSchedulerComponent(config, { leaderElect: values['leader-elect'] !== 'false', percentageOfNodesToScore: pct || undefined });
  process.stdout.write('scheduler: running\n');
  await untilSignal();
  await scheduler.stop();
  return 0;
}
