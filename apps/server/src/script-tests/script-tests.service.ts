import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  parseRequest,
  testFunction,
  testMatch,
  verificationRecord,
  type InboundRequest,
  type ProviderDefinition,
  type ScriptMessage,
  type ScriptRequest,
  type ScriptRunner,
} from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { AutomationsRepository } from '../automations/automations.repository';
import { AutomationsService } from '../automations/automations.service';
import { blankToNull } from '../common/cursor';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { isUuid } from '../common/ids';
import { CONFIG, SCRIPT_RUNNER } from '../common/tokens';
import { validateWith } from '../common/validate';
import type { FunctionEntity } from '../database/entities/function.entity';
import type { ProviderEntity } from '../database/entities/provider.entity';
import { FunctionsRepository } from '../functions/functions.repository';
import { MessagesRepository } from '../messages/messages.repository';
import { CredentialHeaders } from '../processing/credential-headers';
import { Catalog, functionDefinition } from '../processing/catalog';
import { inboundOf, nameEvent } from '../processing/message-processor';
import { VerificationService } from '../processing/verification.service';
import { ProvidersRepository } from '../providers/providers.repository';
import { fetchRefusal } from '../scripting/script-fetch';
import { pastedInbound, TestFunctionInput, TestProviderInput } from './script-test-input';
import type { FunctionTestResultView, ProviderTestResultView } from './script-test-view';

/** The request a test runs against, read once. */
interface Subject {
  inbound: InboundRequest;
  request: ScriptRequest;
  notes: string[];
  message: ScriptMessage;
  /** The headers as sent, credentials included, for the signature check. */
  verifyHeaders: Record<string, string>;
  summary: { messageId: string | null; method: string; uri: string };
}

/**
 * Runs a draft of a provider's match script or of a function against a stored message or a
 * pasted request. Nothing is saved and nothing leaves the sandbox (see `testFunction`).
 */
@Injectable()
export class ScriptTestsService {
  constructor(
    private readonly functions: FunctionsRepository,
    private readonly providers: ProvidersRepository,
    private readonly messages: MessagesRepository,
    private readonly automations: AutomationsRepository,
    private readonly automationChecks: AutomationsService,
    private readonly catalog: Catalog,
    private readonly verifier: VerificationService,
    private readonly credentials: CredentialHeaders,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async testFunction(id: string, body: unknown): Promise<FunctionTestResultView> {
    // A script that does not compile is not refused here: the answer shows the error and its line.
    const input = await validateWith(TestFunctionInput, body, {
      automationIds: async (ids) => {
        const unknown = await this.automationChecks.unknownIds(ids as string[]);
        return unknown.length ? `name no automation: ${unknown.join(', ')}` : undefined;
      },
    });
    const row = await findOr404(id, 'function', (key) => this.functions.findById(key));
    const subject = await this.subject(input);
    const provider = this.catalog.toDefinition(await findOr404(row.providerId, 'provider', (key) => this.providers.findById(key)));
    const fn = {
      ...functionDefinition(row),
      ...(input.script !== undefined && { script: input.script }),
      ...(input.condition !== undefined && { condition: blankToNull(input.condition) }),
      ...(input.timeoutMs !== undefined && { timeoutMs: input.timeoutMs }),
      ...(input.automationIds !== undefined && { automationIds: [...new Set(input.automationIds)] }),
    };
    const { eventType, event } = nameEvent(provider, subject.request);
    const result = await testFunction(
      this.scripts,
      fn,
      {
        request: subject.request,
        message: subject.message,
        provider: { name: provider.name, properties: provider.properties, secrets: provider.secrets },
        eventType,
        event,
        conditionTimeoutMs: this.config.matchTimeoutMs,
      },
      {
        checkFetch: (request) => fetchRefusal(request.url, this.config.scriptHttpAllow),
        ...(input.fetchResponse && { fetchResponse: { status: 200, headers: {}, body: '', ...input.fetchResponse } }),
        linkedAutomations: async (linked) => (await this.automations.findByIds(linked.automationIds)).map((a) => ({ id: a.id, name: a.name })),
      },
    );
    return { function: { id: row.id, name: row.name }, request: subject.summary, ...notesOf(subject), eventType, event, ...result };
  }

  async testProvider(id: string, body: unknown): Promise<ProviderTestResultView> {
    // As for functions: a match script that does not compile is a result, not a 400.
    const input = await validateWith(TestProviderInput, body, {});
    const row = await findOr404(id, 'provider', (key) => this.providers.findById(key));
    const subject = await this.subject(input);
    const draft: ProviderDefinition = {
      ...this.catalog.toDefinition(row),
      ...(input.matchScript !== undefined && { matchScript: input.matchScript }),
      ...(input.properties !== undefined && { properties: input.properties }),
      ...(input.eventFormat !== undefined && { eventFormat: input.eventFormat }),
      verificationScheme: input.verification?.scheme ?? row.verificationScheme,
    };
    const match = await testMatch(this.scripts, draft, subject.request, this.config.matchTimeoutMs);
    const answer = { provider: { id: row.id, name: row.name }, request: subject.summary, ...notesOf(subject), ...match };
    if (!match.matched) return { ...answer, accepted: false };
    const outcome = this.verifier.verifyProvider(
      row.name,
      row,
      { scheme: draft.verificationScheme, ...(input.verification?.options && { options: input.verification.options }) },
      { ...subject.inbound, headers: subject.verifyHeaders },
      new Date(),
    );
    // A test replays what was sent: a genuine signature that is only too old counts, as on resubmit.
    const verification = verificationRecord(draft.verificationScheme, outcome, true);
    return { ...answer, verification, accepted: verification.ok || verification.overridden === true, ...nameEvent(draft, subject.request) };
  }

  private async subject(input: { messageId?: string; request?: Parameters<typeof pastedInbound>[0] }): Promise<Subject> {
    if ((input.messageId === undefined) === (input.request === undefined)) {
      throw new ValidationFailedError({ messageId: 'name a stored message (messageId) or paste a request (request): one of the two' });
    }
    if (input.request) {
      const inbound = pastedInbound(input.request);
      const message: ScriptMessage = { id: randomUUID(), receivedAt: inbound.receivedAt.toISOString(), triggeredBy: 'webhook' };
      return { inbound, ...parseRequest(inbound), message, verifyHeaders: inbound.headers, summary: { messageId: null, method: inbound.method, uri: inbound.uri } };
    }
    const stored = await this.messages.findById(input.messageId as string);
    if (!stored) throw new ValidationFailedError({ messageId: `names no stored message (${input.messageId})` });
    const inbound = inboundOf(stored);
    return {
      inbound,
      ...parseRequest(inbound),
      message: { id: stored.id, receivedAt: stored.receivedAt.toISOString(), triggeredBy: stored.triggeredBy },
      verifyHeaders: this.credentials.restore(stored),
      summary: { messageId: stored.id, method: stored.method, uri: stored.uri },
    };
  }
}

async function findOr404<T extends FunctionEntity | ProviderEntity>(id: string, what: string, find: (id: string) => Promise<T | null>): Promise<T> {
  const row = isUuid(id) ? await find(id) : null;
  if (!row) throw new NotFoundError(what, id);
  return row;
}

function notesOf(subject: Subject): { notes?: string[] } {
  return subject.notes.length > 0 ? { notes: subject.notes } : {};
}
