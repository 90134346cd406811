// What deleting a CR removes from 3scale: the object it created, never one it adopted. Already gone is fine.
import { ThreescaleApiError } from '../threescale/errors.js';
import type { ThreescaleClient } from '../threescale/client.js';
import type { WriteLog } from './writes.js';

export interface Created {
  id: number | undefined;
  created: boolean | undefined;
  path: (id: number) => string;
  what: string;
}

/** `tolerate`: statuses that mean "3scale keeps it, and that is right" (422: an account's last admin user). */
export async function deleteIfCreated(client: ThreescaleClient, writes: WriteLog, target: Created, tolerate: number[] = []): Promise<void> {
  if (target.id === undefined || target.created !== true) return;
  try {
    await client.delete(target.path(target.id));
    writes.add({ verb: 'deleted', what: target.what });
  } catch (error) {
    if (error instanceof ThreescaleApiError && (error.notFound || tolerate.includes(error.status))) return;
    throw error;
  }
}
