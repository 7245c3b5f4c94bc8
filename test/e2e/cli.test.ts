/** The `tskube` command line: what `up` prints, clean shutdown, and flag errors. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { removeDir, startServerProcess, TSKUBE_BIN } from '../support/process.js';

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [TSKUBE_BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tskube CLI', () => {
  it('up prints exactly one export line with the absolute kubeconfig path, after its components run, and exits 0 on SIGTERM', async () => {
    const s = await startServerProcess({ command: 'up' });
    try {
      const lines = s.output().trimEnd().split('\n');
      assert.equal(lines.at(-1), `export KUBECONFIG=${s.kubeconfigPath}`);
      assert.equal(lines.filter((l) => l.startsWith('export ')).length, 1);
      assert.ok(s.kubeconfigPath.startsWith('/'));
      // Each component is a child process whose lines carry its name.
      assert.deepEqual(lines.slice(0, -1).sort(), [
        '[controller-manager] controller-manager: running serviceaccount, root-ca-cert-publisher, namespace, garbagecollector, '
          + 'nodelifecycle, replicaset, deployment, job, cronjob, ttl-after-finished, endpoints, endpointslice, resourcequota, disruption',
        '[scheduler] scheduler: running',
      ]);
    } finally {
      assert.equal(await s.stop(), 0);
      await removeDir(s.dataDir);
    }
  });

  it('prints its usage without a command, and refuses an unknown one', () => {
    const none = run([]);
    assert.equal(none.code, 1);
    assert.match(none.stdout, /^tskube: Kubernetes, written in TypeScript\n\nUsage:\n  tskube up /);
    const bad = run(['frobnicate']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^tskube: unknown command "frobnicate"\n/);
  });

  it('refuses bad flags with a clear message', () => {
    const storage = run(['server', '--storage', 'mysql', '--port', '0']);
    assert.equal(storage.code, 1);
    assert.equal(storage.stderr, '--storage must be sqlite or etcd, not "mysql"\n');
    const etcd = run(['server', '--storage', 'etcd', '--port', '0', '--data-dir', '/tmp/tskube-cli-unused']);
    assert.equal(etcd.code, 1);
    assert.equal(etcd.stderr, '--storage etcd needs --etcd-servers\n');
    const port = run(['up', '--port', 'http']);
    assert.equal(port.code, 1);
    assert.equal(port.stderr, '--port must be a port number, not "http"\n');
    const unknown = run(['up', '--colour']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unknown option '--colour'/);
  });
});
