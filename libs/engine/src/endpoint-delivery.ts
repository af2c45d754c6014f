import { httpAnswer, type Outcome } from './http-answer';
import { verificationRecord } from './identify';
import type { AutomationStartRecord, MessageStatus, MessageTrace, TriggeredBy } from './message';
import type { Answered, FirstWrite, LeaseHolder } from './message-path';
import type { VerificationOutcome } from './ports';

/** An endpoint delivery's first write: verified, and held to the endpoint's cooldown, in memory. */
export interface EndpointWrite extends Pick<FirstWrite, 'id' | 'statusReason' | 'httpStatus' | 'trace' | 'isLeased'> {
  status: Extract<MessageStatus, 'unauthorized' | 'processed' | 'throttled' | 'processing'>;
}

/** What a delivery to a secret-token endpoint needs from the world. */
export interface EndpointPorts {
  /** Checks the request against the endpoint's scheme and secret. */
  verify(): VerificationOutcome;
  /** Takes the endpoint's next slot: 0 when the delivery may go on, else the seconds to wait. */
  acceptIfCooledDown(): Promise<number>;
  write(first: EndpointWrite): Promise<unknown>;
  /** Starts every linked automation, in order, recording each start or failure. */
  startAutomations(messageId: string): Promise<AutomationStartRecord[]>;
  finish(id: string, status: Extract<MessageStatus, 'processed' | 'failed'>, trace: MessageTrace, changes: { httpStatus: number; statusReason: string | null }): Promise<unknown>;
  leases: LeaseHolder;
}

export interface EndpointDelivery {
  id: string;
  scheme: string;
  triggeredBy: TriggeredBy;
  isEnabled: boolean;
  automationIds: readonly string[];
  cooldownSeconds: number;
  /** The trace so far: the message's origin. */
  trace: MessageTrace;
}

/**
 * A delivery to a secret-token endpoint: verified and held to the endpoint's cooldown in memory,
 * written once with that decision, then every linked automation is started and the end written.
 * Written `processing` under a lease while the automations start, so that a queue ends it if
 * this process dies before answering.
 */
export async function deliverToEndpoint(ports: EndpointPorts, delivery: EndpointDelivery): Promise<Answered> {
  const { id } = delivery;
  const verification = verificationRecord(delivery.scheme, ports.verify(), delivery.triggeredBy === 'resubmit');
  const trace: MessageTrace = { ...delivery.trace, verification };
  const end = async (status: EndpointWrite['status'], outcome: Outcome, statusReason: string, automations?: AutomationStartRecord[]): Promise<Answered> => {
    const answer = httpAnswer(id, outcome);
    const written = { ...trace, ...(automations && { automations }), answer: answerRecord(answer.status) };
    await ports.write({ id, status, statusReason, httpStatus: answer.status, trace: written, isLeased: false });
    return { answer, trace: written };
  };

  if (!verification.ok && !verification.overridden) {
    const reason = verification.reason ?? 'verification failed';
    return end('unauthorized', { kind: 'unauthorized', reason }, reason);
  }
  if (!delivery.isEnabled) {
    const skipped = delivery.automationIds.map((automationId) => ({ automationId, status: 'skipped', error: 'the endpoint is disabled' }));
    return end('processed', { kind: 'endpoint_disabled', automations: skipped }, 'the endpoint is disabled', skipped);
  }
  if (delivery.triggeredBy === 'webhook') {
    const wait = await ports.acceptIfCooledDown();
    if (wait > 0) {
      const reason = `deliveries to this endpoint are limited to one every ${delivery.cooldownSeconds} s; retry in ${wait} s`;
      return end('throttled', { kind: 'throttled', reason, retryAfterSeconds: wait }, reason);
    }
  }

  // Stored before any automation starts, so that every run it starts has its message.
  await ports.write({ id, status: 'processing', statusReason: null, httpStatus: null, trace, isLeased: true });
  ports.leases.hold(id);
  try {
    const results = await ports.startAutomations(id);
    const failed = results.filter((r) => r.status === 'failed').length;
    const status = failed > 0 && failed === results.length ? 'failed' : 'processed';
    const answer = httpAnswer(id, { kind: 'started', status, automations: results });
    const ended = { ...trace, automations: results, answer: answerRecord(answer.status) };
    await ports.finish(id, status, ended, {
      httpStatus: answer.status,
      statusReason: failed > 0 ? `${failed} of ${results.length} automations could not start` : null,
    });
    return { answer, trace: ended };
  } finally {
    ports.leases.release(id);
  }
}

function answerRecord(status: number) {
  return { status, at: new Date().toISOString(), by: 'engine' as const };
}
