/** Reading a process's memory and CPU time from /proc (Linux). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

let ticksPerSecond: number | undefined;

/** Sampling interval of the event-loop delay monitor, ms. */
const LOOP_RESOLUTION_MS = 2;

/** The kernel's clock ticks per second (USER_HZ), the unit of utime/stime in /proc/<pid>/stat. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Resident memory in bytes (VmRSS) and its peak (VmHWM); NaN when the process is gone. */
export function readMemory(pid: number): { rss: number; hwm: number } {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
      return m ? Number(m[1]) * 1024 : NaN;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** CPU seconds (user + system) the process has used so far; NaN when it is gone. */
export function readCpuSeconds(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return (utime + stime) / clockTicks();
  } catch {
    return NaN;
  }
}

/** CPU seconds this (benchmark) process has used so far. */
export function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU seconds the whole machine has spent busy (all CPUs, everything but idle and iowait), from /proc/stat. */
export function systemBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + (f[7] ?? 0);
    return busy / clockTicks();
  } catch {
    return NaN;
  }
}

/** The 1-minute load average. */
export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

/**
 * Measures, from construction to {@link read}: the CPU seconds of several processes, of this
 * process (`bench`), of everything else on the machine (`other`: other users of the CPUs, which
 * disturb the figures), and the event-loop delay of this process (is the load generator keeping up?).
 */
export class CpuMeter {
  private readonly start: Map<string, number> = new Map();
  private readonly loop: IntervalHistogram;

  constructor(private readonly pids: Record<string, number>) {
    for (const [name, pid] of Object.entries(pids)) this.start.set(name, readCpuSeconds(pid));
    this.start.set('bench', selfCpuSeconds());
    this.start.set('system', systemBusySeconds());
    this.loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.loop.enable();
  }

  /** CPU seconds used since construction, per process name, plus `bench` and `other`. */
  read(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) out[name] = readCpuSeconds(pid) - this.start.get(name)!;
    out.bench = selfCpuSeconds() - this.start.get('bench')!;
    const system = systemBusySeconds() - this.start.get('system')!;
    const ours = Object.values(out).reduce((a, b) => a + b, 0);
    out.other = Math.max(0, system - ours);
    return out;
  }

  /** The p99 event-loop delay of this process since construction, in ms (stops the monitor). */
  loopDelayP99Ms(): number {
    this.loop.disable();
    // Node records the whole timer interval, resolution included: take it off.
    return this.loop.count > 0 ? Math.max(0, this.loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS) : NaN;
  }
}
