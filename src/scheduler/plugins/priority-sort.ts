import type { QueuedPodView, QueueSortPlugin } from '../framework/interfaces.js';

/** Orders the active queue by priority (higher first), then by queue timestamp (older first). */
export class PrioritySort implements QueueSortPlugin {
  readonly name = 'PrioritySort';

  less(a: QueuedPodView, b: QueuedPodView): boolean {
    const pa = a.podInfo.priority;
    const pb = b.podInfo.priority;
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  }
}
