// status.conditions per the Kubernetes API conventions: one entry per type, lastTransitionTime changes only
// when status changes. The generation they describe is `status.observedGeneration` (the CRD schemas have no
// per-condition observedGeneration; the API server would prune it). Pure.

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export type ConditionInput = Omit<Condition, 'lastTransitionTime'>;

export function setConditions(existing: readonly Condition[] | undefined, inputs: ConditionInput[], now: () => string = () => new Date().toISOString()): Condition[] {
  const result = [...(existing ?? [])];
  for (const input of inputs) {
    const index = result.findIndex((c) => c.type === input.type);
    const previous = index >= 0 ? result[index] : undefined;
    const next: Condition = {
      ...input,
      lastTransitionTime: previous && previous.status === input.status ? previous.lastTransitionTime : now(),
    };
    if (index >= 0) result[index] = next; else result.push(next);
  }
  return result;
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
