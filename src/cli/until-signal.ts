/**
 * Resolves on the first SIGINT or SIGTERM, or, for a component started by `tskube up`, when its
 * parent goes away (the IPC channel closes), so no component outlives its cluster.
 */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (process.connected) {
      process.once('disconnect', stop);
      // The channel only watches the parent; it must not keep this process alive after stop.
      process.channel?.unref();
    }
  });
}
