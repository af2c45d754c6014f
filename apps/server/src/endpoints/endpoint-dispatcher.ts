import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { deliverToEndpoint, toScriptRequest, type Answer, type AutomationStartRecord, type EndpointWrite, type InboundRequest } from '../../../../libs/engine/src';
import { AutomationsRepository } from '../automations/automations.repository';
import type { EndpointEntity } from '../database/entities/endpoint.entity';
import { MessageLedger } from '../messages/message-ledger';
import { Metrics } from '../metrics/metrics';
import { CredentialHeaders, type StoredHeaders } from '../processing/credential-headers';
import { Leases } from '../processing/leases';
import { messageRow, originTrace, type MessageOrigin } from '../processing/message-row';
import { VerificationService } from '../processing/verification.service';
import { DeliveryRuns, parsedOnce } from '../scm-polling/delivery-runs';
import { EndpointsRepository } from './endpoints.repository';
import { withLogContext } from '../logging/log-context';
import { traceOfMessage, Tracer } from '../tracing/tracer';

export type DeliveryOptions = MessageOrigin;

/** The server's side of a delivery to a secret-token endpoint (the engine's deliverToEndpoint). */
@Injectable()
export class EndpointDispatcher {
  constructor(
    private readonly ledger: MessageLedger,
    private readonly credentials: CredentialHeaders,
    private readonly endpoints: EndpointsRepository,
    private readonly automations: AutomationsRepository,
    private readonly runs: DeliveryRuns,
    private readonly verifier: VerificationService,
    private readonly leases: Leases,
    private readonly metrics: Metrics,
    private readonly tracer: Tracer,
  ) {}

  /** Lines logged on the way carry the message's id, trace id and endpoint; the delivery is the trace's ingress span. */
  async deliver(endpoint: EndpointEntity, received: InboundRequest, options: DeliveryOptions): Promise<Answer> {
    const id = randomUUID();
    const trace = traceOfMessage({ id, headers: received.headers });
    return withLogContext({ messageId: id, traceId: trace.traceId, endpointId: endpoint.id }, async () => {
      const span = this.tracer.start(`${received.method} /api/webhooks/inbound/(token)`, options.triggeredBy === 'webhook' ? 'server' : 'internal', trace, {
        'http.request.method': received.method,
        'hookline.message.id': id,
        'hookline.endpoint.id': endpoint.id,
      });
      try {
        const answer = await this.accept(id, endpoint, received, options);
        span.end({ attributes: { 'http.response.status_code': answer.status } });
        return answer;
      } catch (err) {
        span.end({ error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    });
  }

  private async accept(id: string, endpoint: EndpointEntity, received: InboundRequest, options: DeliveryOptions): Promise<Answer> {
    const started = performance.now();
    const request = { ...received, uri: `endpoints/${endpoint.name}`, path: '/api/webhooks/inbound/(token)' };
    const scheme = endpoint.verificationScheme;
    const stored = await this.credentials.redact(request.headers, { scheme, options: endpoint.verificationOptions });
    const { answer } = await deliverToEndpoint(
      {
        verify: () =>
          this.verifier.verifyWith(
            { owner: `endpoint ${endpoint.name}`, scheme, secretSealed: endpoint.secretSealed, options: endpoint.verificationOptions },
            request,
            new Date(),
          ),
        acceptIfCooledDown: () => this.endpoints.acceptIfCooledDown(endpoint.id, endpoint.cooldownSeconds),
        write: (first) => this.write(first, endpoint, request, stored, options),
        startAutomations: (messageId) => this.startAll(endpoint, messageId, request),
        finish: (messageId, status, trace, changes) => this.ledger.finish(messageId, status, trace, changes),
        leases: this.leases,
      },
      {
        id,
        scheme,
        triggeredBy: options.triggeredBy,
        isEnabled: endpoint.enabled,
        automationIds: endpoint.automationIds,
        cooldownSeconds: endpoint.cooldownSeconds,
        trace: originTrace(options),
      },
    );
    if (options.triggeredBy === 'webhook') this.metrics.ingressAnswered('endpoint', (performance.now() - started) / 1000);
    return answer;
  }

  private write(first: EndpointWrite, endpoint: EndpointEntity, request: InboundRequest, stored: StoredHeaders, origin: MessageOrigin) {
    return this.ledger.accept(
      messageRow(first.id, request, stored, origin, {
        ...first,
        endpointId: endpoint.id,
        sync: true,
        // Leased while its automations start: if this server dies meanwhile, the queue ends it (runQueuedMessage).
        ...(first.isLeased && { lease: this.leases.fresh() }),
      }),
    );
  }

  private async startAll(endpoint: EndpointEntity, messageId: string, request: InboundRequest): Promise<AutomationStartRecord[]> {
    const parsed = parsedOnce(() => toScriptRequest(request));
    const found = new Map((await this.automations.findByIds(endpoint.automationIds)).map((a) => [a.id, a]));
    const results: AutomationStartRecord[] = [];
    for (const automationId of endpoint.automationIds) {
      const automation = found.get(automationId);
      if (!automation) {
        results.push({ automationId, status: 'failed', error: 'the automation no longer exists' });
        continue;
      }
      try {
        const run = await this.runs.start(automation, { trigger: 'webhook', messageId, endpointId: endpoint.id }, parsed);
        results.push({ automationId, automationName: automation.name, runId: run.id, status: run.status, ...(run.statusReason && { error: run.statusReason }) });
      } catch (err) {
        results.push({ automationId, automationName: automation.name, status: 'failed', error: (err as Error).message });
      }
    }
    return results;
  }
}
