/**
 * The status conditions the namespace controller keeps on a Terminating namespace, with
 * upstream's types, reasons and messages: a failure sets its condition True, everything else is
 * reported False with its "all is well" reason and message.
 */

/** One core/v1 NamespaceCondition. */
export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** Discovery failed for some group versions. */
export const DISCOVERY_FAILURE = 'NamespaceDeletionDiscoveryFailure';
/** Some group versions could not be parsed. */
export const GV_PARSING_FAILURE = 'NamespaceDeletionGroupVersionParsingFailure';
/** Deleting some content failed. */
export const CONTENT_FAILURE = 'NamespaceDeletionContentFailure';
/** Content remains (waiting for graceful termination or finalizers). */
export const CONTENT_REMAINING = 'NamespaceContentRemaining';
/** Finalizers hold remaining content. */
export const FINALIZERS_REMAINING = 'NamespaceFinalizersRemaining';

/** The condition types the controller maintains, in the order they are added. */
export const CONDITION_TYPES = [DISCOVERY_FAILURE, GV_PARSING_FAILURE, CONTENT_FAILURE, CONTENT_REMAINING, FINALIZERS_REMAINING];

const OK: Record<string, { reason: string; message: string }> = {
  [DISCOVERY_FAILURE]: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  [GV_PARSING_FAILURE]: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  [CONTENT_FAILURE]: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  [CONTENT_REMAINING]: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  [FINALIZERS_REMAINING]: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** What is left in a namespace after a deletion pass. */
export interface ContentTotals {
  /** `<resource>.<group>` → instances left. */
  remainingByResource: Map<string, number>;
  /** finalizer → instances it holds. */
  remainingByFinalizer: Map<string, number>;
}

/** Collects the outcome of one deletion pass and turns it into conditions (upstream's namespaceConditionUpdater). */
export class NamespaceConditionUpdater {
  private readonly conditions: NamespaceCondition[] = [];
  private readonly contentErrors: string[] = [];

  /** `now` gives lastTransitionTime (RFC 3339, whole seconds). */
  constructor(private readonly now: () => string) {}

  /** Discovery failed (some group versions, or all of it). */
  discoveryFailed(message: string): void {
    this.add(DISCOVERY_FAILURE, 'DiscoveryFailed', message);
  }

  /** Some group versions could not be parsed. */
  groupVersionFailed(message: string): void {
    this.add(GV_PARSING_FAILURE, 'GroupVersionParsingFailed', message);
  }

  /** Deleting the content of one resource failed. */
  contentDeletionFailed(message: string): void {
    this.contentErrors.push(message);
  }

  /** What remains, by resource and by finalizer. */
  contentTotals(totals: ContentTotals): void {
    const byResource = [...totals.remainingByResource].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`).sort();
    if (totals.remainingByResource.size > 0) {
      this.add(CONTENT_REMAINING, 'SomeResourcesRemain', `Some resources are remaining: ${byResource.join(', ')}`);
    }
    const byFinalizer = [...totals.remainingByFinalizer].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
    if (totals.remainingByFinalizer.size > 0) {
      this.add(FINALIZERS_REMAINING, 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${byFinalizer.join(', ')}`);
    }
  }

  /**
   * Writes the conditions into `status` (changing it in place): each maintained type gets its
   * failure or its all-well form; lastTransitionTime moves only when the status flips. Answers
   * whether anything changed.
   */
  apply(status: { conditions?: NamespaceCondition[] }): boolean {
    if (this.contentErrors.length > 0 && !this.conditions.some((c) => c.type === CONTENT_FAILURE)) {
      const msgs = [...this.contentErrors].sort();
      this.add(CONTENT_FAILURE, 'ContentDeletionFailed', `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`);
    }
    let changed = false;
    status.conditions ??= [];
    for (const type of CONDITION_TYPES) {
      const want = this.conditions.find((c) => c.type === type) ?? { type, status: 'False', lastTransitionTime: this.now(), ...OK[type] };
      const have = status.conditions.find((c) => c.type === type);
      if (!have) {
        status.conditions.push(want);
        changed = true;
      } else if (have.status !== want.status || have.message !== want.message || have.reason !== want.reason) {
        if (have.status !== want.status) have.lastTransitionTime = this.now();
        have.status = want.status;
        have.reason = want.reason;
        have.message = want.message;
        changed = true;
      }
    }
    return changed;
  }

  private add(type: string, reason: string, message: string): void {
    this.conditions.push({ type, status: 'True', lastTransitionTime: this.now(), reason, message });
  }
}
