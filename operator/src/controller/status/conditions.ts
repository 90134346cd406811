// status.conditions per the Kubernetes API conventions: one entry per type, lastTransitionTime changes only
// when status changes, and every condition carries the `observedGeneration` of the CR it was computed from (a
// client can tell a fresh condition from one left by an older spec). Pure.

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export type ConditionInput = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>;

/**
 * Merges `inputs` into `existing`. `observedGeneration` is the CR's metadata.generation this pass read; it is
 * stamped on every written condition (omitted when the CR has none, as in unit tests of old objects).
 */
export function setConditions(
  existing: readonly Condition[] | undefined,
  inputs: ConditionInput[],
  observedGeneration: number | undefined,
  now: () => string = () => new Date().toISOString(),
): Condition[] {
  const result = [...(existing ?? [])];
  for (const input of inputs) {
    const index = result.findIndex((c) => c.type === input.type);
    const previous = index >= 0 ? result[index] : undefined;
    const next: Condition = {
      ...input,
      lastTransitionTime: previous && previous.status === input.status ? previous.lastTransitionTime : now(),
      ...(observedGeneration !== undefined ? { observedGeneration } : {}),
    };
    if (index >= 0) result[index] = next;
    else result.push(next);
  }
  return result;
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
