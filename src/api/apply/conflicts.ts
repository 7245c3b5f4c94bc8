/**
 * Apply conflicts: fields an apply would change that another manager owns. Reported as upstream's
 * 409 Status, e.g. `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using
 * v1: .data.key`, with one `FieldManagerConflict` cause per field.
 */
import { ApiError, type StatusCause } from '../../machinery/status.js';
import { compareGoStrings } from './go-format.js';
import { printManager, type VersionedSet } from './managed-fields.js';
import { pathToString, type Path } from './path-element.js';

/** One conflicting field and the manager (identifier) that owns it. */
export interface Conflict {
  manager: string;
  path: Path;
}

/** Thrown by the merge when an apply without force has conflicts. */
export class ConflictsError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super('apply conflicts');
    this.name = 'ConflictsError';
  }
}

/** The conflicts of per-manager conflicting sets, managers in identifier order, paths in set order. */
export function conflictsFromManagers(sets: Map<string, VersionedSet>): Conflict[] {
  const out: Conflict[] = [];
  for (const id of [...sets.keys()].sort(compareGoStrings)) {
    for (const path of sets.get(id)!.set.paths()) out.push({ manager: id, path });
  }
  return out;
}

/** The 409 Conflict Status for apply conflicts. */
export function conflictError(conflicts: Conflict[]): ApiError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathToString(c.path),
  }));
  return new ApiError(409, 'Conflict', conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0];
    return `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathToString(c.path)}`;
  }
  const byManager = new Map<string, Path[]>();
  for (const c of conflicts) {
    const paths = byManager.get(c.manager) ?? [];
    paths.push(c.path);
    byManager.set(c.manager, paths);
  }
  const lines: string[] = [];
  for (const id of [...byManager.keys()].sort(compareGoStrings)) {
    lines.push(`conflicts with ${printManager(id)}:`);
    for (const p of byManager.get(id)!) lines.push(`- ${pathToString(p)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
