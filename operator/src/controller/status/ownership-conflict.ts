// The conditions of a CR that lost the race for objects another CR already controls (operator.md §2.5:
// an object is ours only when it carries our UID). The loser writes nothing but its own status, so the
// two never take turns rewriting each other's workloads; the message names each object and its owner.
import type { OwnershipConflict } from '../apply/applier.js';
import type { ConditionInput } from './conditions.js';

const LISTED = 20;
/** Workloads first, then secrets: what a user looks for when two CRs collide. */
const KIND_RANK: Record<string, number> = { DeploymentConfig: 0, Deployment: 0, Secret: 1 };
const rank = (object: string): number => KIND_RANK[object.split('/')[0]] ?? 2;

/** `nothing written: N objects are controlled by Kind/name (A, B, … and M more)`, one clause per owner. */
/** How often a CR that lost an ownership conflict looks again (the other CR may have been deleted meanwhile). */
export const CONFLICT_RECHECK_MS = 60_000;

export function ownershipConflictMessage(conflicts: readonly OwnershipConflict[]): string {
  const byOwner = new Map<string, string[]>();
  for (const c of conflicts) byOwner.set(c.owner, [...(byOwner.get(c.owner) ?? []), c.object]);
  const clauses = [...byOwner].map(([owner, objects]) => {
    const sorted = [...objects].sort((a, b) => rank(a) - rank(b));
    const listed = sorted.slice(0, LISTED).join(', ');
    const more = sorted.length > LISTED ? ` and ${sorted.length - LISTED} more` : '';
    return `${objects.length} object${objects.length === 1 ? ' is' : 's are'} controlled by ${owner} (${listed}${more})`;
  });
  return `nothing written: ${clauses.join('; ')}`.slice(0, 1000);
}

export function ownershipConflictConditions(conflicts: readonly OwnershipConflict[]): ConditionInput[] {
  const message = ownershipConflictMessage(conflicts);
  return [
    { type: 'Available', status: 'False', reason: 'OwnershipConflict', message },
    {
      type: 'Progressing',
      status: 'False',
      reason: 'OwnershipConflict',
      message: 'waiting until those objects are free; rechecked every minute',
    },
    { type: 'Degraded', status: 'True', reason: 'OwnershipConflict', message },
  ];
}
