/**
 * Preloaded into server processes (`NODE_OPTIONS=--import=<this file>`) when the benchmark runs
 * with BENCH_CPU_PROF=<dir>: Node 20 refuses `--cpu-prof` in NODE_OPTIONS, so this starts the V8
 * profiler through the inspector and writes `<dir>/tskube-<pid>.cpuprofile` when the process exits
 * (open it in Chrome DevTools or speedscope).
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // Same-thread inspector sessions answer synchronously, so this works in an exit handler.
    session.post('Profiler.stop', (err, res) => {
      if (!err && res) writeFileSync(join(dir, `tskube-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  };
  process.on('exit', write);
}
