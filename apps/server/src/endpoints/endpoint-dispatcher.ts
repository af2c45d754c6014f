import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { verificationRecord, type AutomationStartRecord, type InboundRequest, type MessageStatus, type MessageTrace } from '../../../../libs/engine/src';
import { AutomationsRepository } from '../automations/automations.repository';
import { RunsService } from '../automations/runs.service';
import type { EndpointEntity } from '../database/entities/endpoint.entity';
import { MessageLedger } from '../messages/message-ledger';
import { CredentialHeaders } from '../processing/credential-headers';
import { httpAnswer, type Answer, type Outcome } from '../processing/http-answer';
import { Leases } from '../processing/leases';
import { messageRow, originTrace, type MessageOrigin } from '../processing/message-row';
import { VerificationService } from '../processing/verification.service';
import { EndpointsRepository } from './endpoints.repository';

export type DeliveryOptions = MessageOrigin;

/**
 * A delivery to a secret-token endpoint: verified and held to the endpoint's cooldown in memory,
 * written once with that decision, then every linked automation is started.
 */
@Injectable()
export class EndpointDispatcher {
  constructor(
    private readonly ledger: MessageLedger,
    private readonly credentials: CredentialHeaders,
    private readonly endpoints: EndpointsRepository,
    private readonly automations: AutomationsRepository,
    private readonly runs: RunsService,
    private readonly verifier: VerificationService,
    private readonly leases: Leases,
  ) {}

  async deliver(endpoint: EndpointEntity, received: InboundRequest, options: DeliveryOptions): Promise<Answer> {
    const id = randomUUID();
    const request = { ...received, uri: `endpoints/${endpoint.name}`, path: '/api/webhooks/inbound/(token)' };
    const scheme = endpoint.verificationScheme;
    const outcome = this.verifier.verifyWith(
      { owner: `endpoint ${endpoint.name}`, scheme, secretSealed: endpoint.secretSealed, options: endpoint.verificationOptions },
      request,
      new Date(),
    );
    const trace: MessageTrace = { ...originTrace(options), verification: verificationRecord(scheme, outcome, options.triggeredBy === 'resubmit') };
    const stored = await this.credentials.redact(request.headers, { scheme, options: endpoint.verificationOptions });
    const store = (status: MessageStatus, answer: Answer | null, statusReason: string | null, automations?: AutomationStartRecord[]) =>
      this.ledger.accept(
        messageRow(id, request, stored, options, {
          status,
          statusReason,
          httpStatus: answer?.status ?? null,
          trace: { ...trace, ...(automations && { automations }), ...(answer && { answer: answerRecord(answer.status) }) },
          endpointId: endpoint.id,
          sync: true,
          // Leased while its automations start: if this server dies meanwhile, the queue ends it (QueueWorker).
          ...(status === 'processing' && { lease: { workerId: this.leases.workerId, until: new Date(Date.now() + this.leases.durationMs) } }),
        }),
      );
    const end = async (status: MessageStatus, outcome: Outcome, statusReason: string, automations?: AutomationStartRecord[]) => {
      const answer = httpAnswer(id, outcome);
      await store(status, answer, statusReason, automations);
      return answer;
    };

    if (!trace.verification?.ok && !trace.verification?.overridden) {
      const reason = trace.verification?.reason ?? 'verification failed';
      return end('unauthorized', { kind: 'unauthorized', reason }, reason);
    }
    if (!endpoint.enabled) {
      const skipped = endpoint.automationIds.map((automationId) => ({ automationId, status: 'skipped', error: 'the endpoint is disabled' }));
      return end('processed', { kind: 'endpoint_disabled', automations: skipped }, 'the endpoint is disabled', skipped);
    }
    if (options.triggeredBy === 'webhook') {
      const wait = await this.endpoints.acceptIfCooledDown(endpoint.id, endpoint.cooldownSeconds);
      if (wait > 0) {
        const reason = `deliveries to this endpoint are limited to one every ${endpoint.cooldownSeconds} s; retry in ${wait} s`;
        return end('throttled', { kind: 'throttled', reason, retryAfterSeconds: wait }, reason);
      }
    }

    // Stored before any automation starts, so that every run it starts has its message.
    await store('processing', null, null);
    this.leases.hold(id);
    try {
      return await this.startAndFinish(endpoint, id, trace);
    } finally {
      this.leases.release(id);
    }
  }

  private async startAndFinish(endpoint: EndpointEntity, id: string, trace: MessageTrace): Promise<Answer> {
    const results = await this.startAll(endpoint, id);
    const failed = results.filter((r) => r.status === 'failed').length;
    const status = failed > 0 && failed === results.length ? 'failed' : 'processed';
    const answer = httpAnswer(id, { kind: 'started', status, automations: results });
    await this.ledger.finish(id, status, { ...trace, automations: results, answer: answerRecord(answer.status) }, {
      httpStatus: answer.status,
      statusReason: failed > 0 ? `${failed} of ${results.length} automations could not start` : null,
    });
    return answer;
  }

  private async startAll(endpoint: EndpointEntity, messageId: string): Promise<AutomationStartRecord[]> {
    const found = new Map((await this.automations.findByIds(endpoint.automationIds)).map((a) => [a.id, a]));
    const results: AutomationStartRecord[] = [];
    for (const automationId of endpoint.automationIds) {
      const automation = found.get(automationId);
      if (!automation) {
        results.push({ automationId, status: 'failed', error: 'the automation no longer exists' });
        continue;
      }
      try {
        const run = await this.runs.start(automation, { trigger: 'webhook', messageId, endpointId: endpoint.id });
        results.push({ automationId, automationName: automation.name, runId: run.id, status: run.status, ...(run.statusReason && { error: run.statusReason }) });
      } catch (err) {
        results.push({ automationId, automationName: automation.name, status: 'failed', error: (err as Error).message });
      }
    }
    return results;
  }
}

function answerRecord(status: number) {
  return { status, at: new Date().toISOString(), by: 'engine' as const };
}
