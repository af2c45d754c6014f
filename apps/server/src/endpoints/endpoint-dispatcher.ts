import { Injectable } from '@nestjs/common';
import type { AutomationStartRecord, InboundRequest, MessageStatus, ResubmitEdit, TriggeredBy } from '../../../../libs/engine/src';
import { AutomationsRepository } from '../automations/automations.repository';
import { RunsService } from '../automations/runs.service';
import type { EndpointEntity } from '../database/entities/endpoint.entity';
import type { Answer } from '../processing/dispatcher';
import { MessageProcessor } from '../processing/message-processor';
import { VerificationService } from '../processing/verification.service';
import { EndpointsRepository } from './endpoints.repository';

export interface DeliveryOptions {
  triggeredBy: TriggeredBy;
  resubmittedFrom?: string;
  edited?: ResubmitEdit;
}

/**
 * A delivery to a secret-token endpoint: stored like any message, verified, held to the
 * endpoint's cooldown, then every linked automation is started.
 */
@Injectable()
export class EndpointDispatcher {
  constructor(
    private readonly processor: MessageProcessor,
    private readonly endpoints: EndpointsRepository,
    private readonly automations: AutomationsRepository,
    private readonly runs: RunsService,
    private readonly verifier: VerificationService,
  ) {}

  async deliver(endpoint: EndpointEntity, request: InboundRequest, options: DeliveryOptions): Promise<Answer> {
    const message = await this.processor.store(
      { ...request, uri: `endpoints/${endpoint.name}`, path: '/api/webhooks/inbound/(token)' },
      { ...options, sync: true, endpoint: { id: endpoint.id, scheme: endpoint.verificationScheme, options: endpoint.verificationOptions } },
    );
    const id = message.id;
    const trace = { ...message.trace };
    const finish = async (status: MessageStatus, httpStatus: number, extra: { statusReason?: string; automations?: AutomationStartRecord[] } = {}) => {
      await this.processor.finish(
        id,
        status,
        { ...trace, ...(extra.automations && { automations: extra.automations }), answer: { status: httpStatus, at: new Date().toISOString(), by: 'engine' } },
        { httpStatus, statusReason: extra.statusReason ?? null },
      );
    };

    const outcome = this.verifier.verifyWith(
      { owner: `endpoint ${endpoint.name}`, scheme: endpoint.verificationScheme, secretSealed: endpoint.secretSealed, options: endpoint.verificationOptions },
      request,
      new Date(),
    );
    const scheme = endpoint.verificationScheme;
    if (outcome.ok) {
      trace.verification = { scheme, ok: true, ...(outcome.matchedSecret && { matchedSecret: outcome.matchedSecret }) };
    } else if (outcome.staleOnly && options.triggeredBy === 'resubmit') {
      trace.verification = { scheme, ok: false, reason: outcome.reason, overridden: true };
    } else {
      trace.verification = { scheme, ok: false, reason: outcome.reason };
      await finish('unauthorized', 401, { statusReason: outcome.reason });
      return json(id, 401, { messageId: id, status: 'unauthorized', message: `Verification failed: ${outcome.reason}` });
    }

    if (!endpoint.enabled) {
      const skipped = endpoint.automationIds.map((automationId) => ({ automationId, status: 'skipped', error: 'the endpoint is disabled' }));
      await finish('processed', 200, { statusReason: 'the endpoint is disabled', automations: skipped });
      return json(id, 200, { messageId: id, status: 'disabled', automations: skipped });
    }

    if (options.triggeredBy === 'webhook') {
      const wait = await this.endpoints.acceptIfCooledDown(endpoint.id, endpoint.cooldownSeconds);
      if (wait > 0) {
        const reason = `deliveries to this endpoint are limited to one every ${endpoint.cooldownSeconds} s; retry in ${wait} s`;
        await finish('throttled', 429, { statusReason: reason });
        return { ...json(id, 429, { messageId: id, status: 'throttled', message: reason }), headers: { ...JSON_HEADERS, 'retry-after': String(wait) } };
      }
    }

    const results = await this.startAll(endpoint, id);
    const failed = results.filter((r) => r.status === 'failed').length;
    const status: MessageStatus = failed > 0 && failed === results.length ? 'failed' : 'processed';
    const httpStatus = failed > 0 ? 207 : 200;
    await finish(status, httpStatus, { automations: results, ...(failed > 0 && { statusReason: `${failed} of ${results.length} automations could not start` }) });
    return json(id, httpStatus, { messageId: id, status, automations: results });
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

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function json(messageId: string, status: number, body: unknown): Answer {
  return { messageId, status, headers: JSON_HEADERS, body };
}
