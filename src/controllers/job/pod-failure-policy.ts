/**
 * `spec.podFailurePolicy`: rules matching a failed pod by container exit codes or pod conditions
 * that fail the whole job, ignore the failure, or count it against the backoff limit.
 */
import type { KubeObject } from '../../client/object.js';

/** What a failed pod means under the policy. */
export interface PolicyMatch {
  /** Set when a FailJob rule matched: the message of the job's failure. */
  failJobMessage?: string;
  /** Whether the failure counts against backoffLimit (false for Ignore). */
  countFailed: boolean;
  /** The matched rule's action. */
  action?: string;
}

/** The first terminated, non-zero container status whose exit code the requirement selects. */
function matchingContainer(statuses: any[], req: any): any | undefined {
  const values: number[] = Array.isArray(req?.values) ? req.values : [];
  return statuses.find((s) => {
    const code = s?.state?.terminated?.exitCode;
    if (code === undefined || code === null || code === 0) return false;
    if (req?.containerName != null && req.containerName !== s.name) return false;
    if (req?.operator === 'In') return values.includes(code);
    if (req?.operator === 'NotIn') return !values.includes(code);
    return false;
  });
}

const statusList = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/**
 * Matches a failed pod against the rules in order; without a policy or a matching rule the
 * failure simply counts.
 */
export function matchPodFailurePolicy(policy: any, pod: KubeObject): PolicyMatch {
  if (!policy) return { countFailed: true };
  const rules: any[] = statusList(policy.rules);
  const where = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    let failMessage: string | undefined;
    if (rule?.onExitCodes) {
      const c = matchingContainer(statusList(pod.status?.containerStatuses), rule.onExitCodes)
        ?? matchingContainer(statusList(pod.status?.initContainerStatuses), rule.onExitCodes);
      if (!c) continue;
      failMessage = `Container ${c.name} for pod ${where} failed with exit code ${c.state.terminated.exitCode} matching ${rule.action} rule at index ${i}`;
    } else if (Array.isArray(rule?.onPodConditions)) {
      const patterns: any[] = rule.onPodConditions;
      const cond = statusList(pod.status?.conditions).find((pc) => patterns.some((p) => p?.type === pc?.type && (p?.status ?? 'True') === pc?.status));
      if (!cond) continue;
      failMessage = `Pod ${where} has condition ${cond.type} matching ${rule.action} rule at index ${i}`;
    } else {
      continue;
    }
    switch (rule.action) {
      case 'Ignore': return { countFailed: false, action: 'Ignore' };
      case 'Count': return { countFailed: true, action: 'Count' };
      case 'FailIndex': return { countFailed: true, action: 'FailIndex' };
      case 'FailJob': return { failJobMessage: failMessage, countFailed: true, action: 'FailJob' };
      default: continue;
    }
  }
  return { countFailed: true };
}
