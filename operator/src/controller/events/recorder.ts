// Kubernetes Events (core/v1) for every create, update and failure, attached to the CR. Event writes are
// best-effort: a failure to record is logged, never fails a reconcile. Events are not counted as API writes of
// the reconcile (they have their own counter kind "Event"). Messages never contain secret values.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { KubeObject } from '../desired.js';
import type { KubeClient } from '../kube/client.js';

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
    private readonly component = 'threescale-operator',
  ) {}

  async record(involved: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const now = new Date().toISOString();
    const namespace = involved.metadata.namespace ?? 'default';
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${involved.metadata.name}.${Date.now().toString(16)}${randomBytes(3).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
      },
      type,
      reason,
      message: message.slice(0, 1024),
      source: { component: this.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: this.component,
    };
    try {
      await this.client.create(event);
    } catch (error) {
      this.log.warn({ reason, err: String(error) }, 'could not record event');
    }
  }
}
