/** What the benchmark ran on: CPU, cores, memory, kernel, Node and etcd versions, date. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, tmpdir } from 'node:os';

/** A description of the machine the benchmark ran on. */
export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs the kernel reports (what the benchmark, server and etcd share). */
  cores: number;
  memoryBytes: number;
  kernel: string;
  node: string;
  etcd: string;
  /** Where temporary data (SQLite files, etcd data) lives. */
  tmpdir: string;
  /** ISO date-time at the start of the run. */
  date: string;
}

function cpuModel(): string {
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const m = /^model name\s*:\s*(.+)$/m.exec(text);
    if (m) return m[1]!.trim();
  } catch { /* not Linux */ }
  return cpus()[0]?.model ?? 'unknown';
}

function memTotal(): number {
  try {
    const m = /^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch { /* not Linux */ }
  return totalmem();
}

function etcdVersion(binary: string): string {
  try {
    const out = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 5000 });
    const m = /etcd Version:\s*(\S+)/.exec(out);
    return m ? m[1]! : out.split('\n')[0]!.trim();
  } catch {
    return 'not found';
  }
}

/** Describes this machine. */
export function describeMachine(etcdBinary: string): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryBytes: memTotal(),
    kernel: `Linux ${release()}`,
    node: process.version,
    etcd: etcdVersion(etcdBinary),
    tmpdir: tmpdir(),
    date: new Date().toISOString(),
  };
}

/** Which tskube was measured: the git commit, and whether src/ had uncommitted changes. */
export function describeSource(repoRoot: string): string {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', timeout: 5000 }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bin', 'package.json'], { cwd: repoRoot, encoding: 'utf8', timeout: 5000 }).trim();
    return dirty ? `${rev} with uncommitted changes in src/` : rev;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
