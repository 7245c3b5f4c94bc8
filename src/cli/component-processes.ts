import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `tskube up` runs beside its API server. */
export interface ComponentSelection {
  /** `--controllers` of the controller manager. */
  controllers: string;
  /** How many simulated nodes (0: none). */
  simNodes: number;
}

/** The child processes of `tskube up`. */
export interface ComponentProcesses {
  /** Resolves once every component has said it is running. */
  ready(): Promise<void>;
  /** Stops every component (SIGTERM) and waits for it. */
  stop(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../../../bin/tskube.js', import.meta.url));
/** How long a component that crashed waits before it is started again. */
const RESTART_DELAY_MS = 1000;

interface Spec {
  name: string;
  args: string[];
  /** The line a component prints once it runs. */
  readyLine: string;
}

/**
 * Starts each component as `tskube <component> --kubeconfig <dataDir>/<component>.kubeconfig`,
 * prefixes its output with its name, and starts it again when it dies unasked.
 */
export function startComponentProcesses(dataDir: string, sel: ComponentSelection): ComponentProcesses {
  const kubeconfig = (name: string) => join(dataDir, `${name}.kubeconfig`);
  const specs: Spec[] = [
    { name: 'controller-manager', args: ['--kubeconfig', kubeconfig('controller-manager'), '--controllers', sel.controllers], readyLine: 'controller-manager: running' },
    { name: 'scheduler', args: ['--kubeconfig', kubeconfig('scheduler')], readyLine: 'scheduler: running' },
  ];
  if (sel.simNodes > 0) {
    specs.push({ name: 'sim-nodes', args: ['--kubeconfig', kubeconfig('node-simulator'), '--count', String(sel.simNodes)], readyLine: 'sim-nodes: running' });
  }
  let stopping = false;
  const children = new Map<string, ChildProcess>();
  const readiness = specs.map((spec) => new Promise<void>((resolve, reject) => {
    const launch = (first: boolean) => {
      const child = spawn(process.execPath, [BIN, spec.name, ...spec.args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      children.set(spec.name, child);
      let seen = !first;
      const relay = (out: NodeJS.WriteStream) => (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        if (!seen && text.includes(spec.readyLine)) {
          seen = true;
          resolve();
        }
        for (const line of text.split('\n')) if (line) out.write(`[${spec.name}] ${line}\n`);
      };
      child.stdout!.on('data', relay(process.stderr));
      child.stderr!.on('data', relay(process.stderr));
      child.once('exit', (code, signal) => {
        children.delete(spec.name);
        if (stopping) return;
        process.stderr.write(`[${spec.name}] exited (${signal ?? code}); starting it again\n`);
        if (!seen) reject(new Error(`${spec.name} exited before it ran`));
        setTimeout(() => { if (!stopping) launch(false); }, RESTART_DELAY_MS).unref();
      });
    };
    launch(true);
  }));
  return {
    async ready() {
      await Promise.all(readiness);
    },
    async stop() {
      stopping = true;
      await Promise.all([...children.values()].map((c) => new Promise<void>((resolve) => {
        if (c.exitCode !== null || c.signalCode !== null) return resolve();
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      })));
    },
  };
}
