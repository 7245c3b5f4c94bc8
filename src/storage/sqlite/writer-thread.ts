/**
 * The SQLite writer thread: owns the one write connection and answers batches from the store's
 * main thread, so the sync of each commit never blocks the API server's event loop.
 * Messages in: `{ id, ops }`; out: `{ id, result }` (see mvcc-writer.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './schema.js';
import { MvccWriter, type WriteOpWire } from './mvcc-writer.js';

if (parentPort) {
  const port = parentPort;
  const db = openDatabase((workerData as { path: string }).path);
  const writer = new MvccWriter(db);
  port.on('message', (msg: { id: number; ops: WriteOpWire[] } | { close: true }) => {
    if ('close' in msg) {
      db.close();
      port.close();
      return;
    }
    port.postMessage({ id: msg.id, result: writer.applyBatch(msg.ops) });
  });
  port.postMessage({ ready: true });
}
