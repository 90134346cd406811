// The four conditions every capabilities CR carries, from the outcome of a pass. Pure.
import type { ConditionInput } from '../../controller/status/conditions.js';

export type PassOutcome =
  | { kind: 'synced'; message?: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'orphan'; reason: string; message: string }
  | { kind: 'failed'; reason: string; message: string };

export function capabilityConditions(outcome: PassOutcome): ConditionInput[] {
  const off = (type: string, reason: string): ConditionInput => ({ type, status: 'False', reason, message: '' });
  switch (outcome.kind) {
    case 'synced':
      return [
        { type: 'Synced', status: 'True', reason: 'Synced', message: outcome.message ?? 'in sync with 3scale' },
        off('Invalid', 'Valid'),
        off('Failed', 'Synced'),
        off('Orphan', 'ReferencesFound'),
      ];
    case 'invalid':
      return [
        { type: 'Synced', status: 'False', reason: 'Invalid', message: 'nothing was written to 3scale' },
        { type: 'Invalid', status: 'True', reason: 'InvalidSpec', message: outcome.message },
        off('Failed', 'Invalid'),
        off('Orphan', 'Invalid'),
      ];
    case 'orphan':
      return [
        { type: 'Synced', status: 'False', reason: 'Orphan', message: 'nothing was written to 3scale' },
        off('Invalid', 'Valid'),
        off('Failed', 'Orphan'),
        { type: 'Orphan', status: 'True', reason: outcome.reason, message: outcome.message },
      ];
    case 'failed':
      return [
        { type: 'Synced', status: 'False', reason: outcome.reason, message: 'the last pass did not finish' },
        off('Invalid', 'Valid'),
        { type: 'Failed', status: 'True', reason: outcome.reason, message: outcome.message },
        off('Orphan', 'ReferencesFound'),
      ];
  }
}
