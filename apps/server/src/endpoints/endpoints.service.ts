import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { InboundRequest, ResubmitEdit } from '../../../../libs/engine/src';
import { AutomationsService } from '../automations/automations.service';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { isUuid, tokenHash } from '../common/ids';
import { checkSchemeOptions } from '../common/scheme-options';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { SECRET_BOX } from '../common/tokens';
import { validateWith } from '../common/validate';
import type { EndpointEntity } from '../database/entities/endpoint.entity';
import { DELIVERY_PREVIEW_BYTES, MessagesRepository } from '../messages/messages.repository';
import type { Answer } from '../processing/dispatcher';
import { PublicUrl } from '../public-url';
import type { SecretBox } from '../security/secret-box';
import { EndpointDispatcher } from './endpoint-dispatcher';
import type { DeliveryPageView, DeliveryView, EndpointView, EndpointWithUrlView } from './endpoint-view';
import { CreateEndpointInput, UpdateEndpointInput } from './endpoint-input';
import { EndpointsRepository } from './endpoints.repository';

const TOKEN_PATTERN = /^hle_[A-Za-z0-9_-]{43}$/;
// "hle_" and six characters: enough to tell endpoints apart, far too little to guess the rest.
const PREFIX_LENGTH = 10;

/** The query of GET /api/webhooks/:id/deliveries as the API contract writes it; `deliveries` checks it, by hand, with these messages. */
export const DeliveryQuery = z.strictObject({
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().optional().describe('nextCursor of the page before'),
});

@Injectable()
export class EndpointsService implements OnModuleInit {
  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly automations: AutomationsService,
    private readonly messages: MessagesRepository,
    private readonly dispatcher: EndpointDispatcher,
    private readonly publicUrl: PublicUrl,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** Endpoints made before tokens were shown only once keep their token's hash, and lose its sealed copy. */
  async onModuleInit(): Promise<void> {
    for (const { id, sealed } of await this.endpoints.sealedTokens()) {
      await this.endpoints.forgetSealedToken(id, this.box.open(sealed).slice(0, PREFIX_LENGTH));
    }
  }

  async list() {
    return (await this.endpoints.list()).map((e) => this.toView(e));
  }

  async get(id: string) {
    return this.toView(await this.require(id));
  }

  async create(body: unknown) {
    const input = await validateWith(CreateEndpointInput, body, {
      automationIds: (ids) => this.automationsProblem(ids as string[]),
      'verification.options': checkSchemeOptions(body),
    });
    const verification = input.verification ?? { scheme: 'none' };
    await this.checkNameFree(input.name);
    const token = newToken();
    const created = await this.endpoints.insert({
      name: input.name,
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      tokenHash: tokenHash(token),
      tokenPrefix: token.slice(0, PREFIX_LENGTH),
      verificationScheme: verification.scheme,
      secretSealed: verification.secret ? this.box.seal(verification.secret) : null,
      verificationOptions: verification.options ?? {},
      automationIds: [...new Set(input.automationIds)],
      cooldownSeconds: input.cooldownSeconds ?? 0,
    });
    return this.withUrl(this.toView(created), token);
  }

  async update(id: string, body: unknown) {
    const endpoint = await this.require(id);
    const input = await validateWith(UpdateEndpointInput, body, {
      automationIds: (ids) => this.automationsProblem(ids as string[]),
      'verification.options': checkSchemeOptions(body, endpoint.verificationScheme),
    });
    if (input.name !== undefined && input.name !== endpoint.name) await this.checkNameFree(input.name);
    Object.assign(endpoint, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.automationIds !== undefined && { automationIds: [...new Set(input.automationIds)] }),
      ...(input.cooldownSeconds !== undefined && { cooldownSeconds: input.cooldownSeconds }),
    });
    const verification = input.verification;
    if (verification?.scheme !== undefined) endpoint.verificationScheme = verification.scheme;
    if (verification?.secret !== undefined) endpoint.secretSealed = verification.secret === null ? null : this.box.seal(verification.secret);
    if (verification?.options !== undefined) endpoint.verificationOptions = verification.options;
    return this.toView(await this.endpoints.save(endpoint));
  }

  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.endpoints.delete(id);
  }

  /** A new token; the old URL stops working at once. */
  async regenerate(id: string) {
    const endpoint = await this.require(id);
    const token = newToken();
    endpoint.tokenHash = tokenHash(token);
    endpoint.tokenPrefix = token.slice(0, PREFIX_LENGTH);
    return this.withUrl(this.toView(await this.endpoints.save(endpoint)), token);
  }

  async deliveries(id: string, query: { limit?: string; cursor?: string }): Promise<DeliveryPageView> {
    await this.require(id);
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ValidationFailedError({ limit: 'must be a whole number from 1 to 500' });
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.messages.listDeliveries(id, limit + 1, cursor);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => {
        const size = Number(row.body_size);
        return {
          messageId: row.id,
          receivedAt: new Date(row.received_at).toISOString(),
          status: row.status,
          statusReason: row.status_reason,
          httpStatus: row.http_status,
          triggeredBy: row.triggered_by,
          // The trace's automation starts, as the dispatcher wrote them.
          automations: (row.automations as DeliveryView['automations'] | null) ?? [],
          payloadPreview: Buffer.from(row.preview).toString('utf8'),
          payloadSize: size,
          payloadTruncated: size > DELIVERY_PREVIEW_BYTES,
        };
      }),
      nextCursor: rows.length > limit && last ? encodeCursor({ receivedAt: new Date(last.received_at), id: last.id }) : null,
    };
  }

  /** The public inbound route: an unknown or malformed token is 404 and nothing is stored. */
  async receive(token: string, request: InboundRequest): Promise<Answer | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const endpoint = await this.endpoints.findByTokenHash(tokenHash(token));
    if (!endpoint) return null;
    return this.dispatcher.deliver(endpoint, request, { triggeredBy: 'webhook' });
  }

  /** Resubmitting a delivery: the same endpoint, no cooldown. */
  async redeliver(endpointId: string, request: InboundRequest, origin: { resubmittedFrom: string; edited?: ResubmitEdit }): Promise<Answer> {
    const endpoint = await this.endpoints.findById(endpointId);
    if (!endpoint) throw new ConflictError(`The endpoint of message ${origin.resubmittedFrom} was deleted`);
    return this.dispatcher.deliver(endpoint, request, { triggeredBy: 'resubmit', ...origin });
  }

  private async require(id: string): Promise<EndpointEntity> {
    const endpoint = isUuid(id) ? await this.endpoints.findById(id) : null;
    if (!endpoint) throw new NotFoundError('webhook endpoint', id);
    return endpoint;
  }

  private async checkNameFree(name: string): Promise<void> {
    if (await this.endpoints.findByName(name)) throw new ConflictError(`A webhook endpoint named "${name}" already exists`);
  }

  private async automationsProblem(ids: string[]): Promise<string | undefined> {
    const unknown = await this.automations.unknownIds(ids);
    return unknown.length ? `name no automation: ${unknown.join(', ')}` : undefined;
  }

  private toView(e: EndpointEntity): EndpointView {
    return {
      id: e.id,
      name: e.name,
      description: e.description,
      enabled: e.enabled,
      tokenPrefix: e.tokenPrefix,
      verification: { scheme: e.verificationScheme, secretConfigured: e.secretSealed !== null, options: e.verificationOptions },
      automationIds: e.automationIds,
      cooldownSeconds: e.cooldownSeconds,
      lastAcceptedAt: e.lastAcceptedAt?.toISOString() ?? null,
      createdAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
    };
  }

  /** The full URL, only in the answer that made the token: like a runner token, it is shown once. */
  private withUrl(view: EndpointView, token: string): EndpointWithUrlView {
    return { ...view, url: `${this.publicUrl.base}/api/webhooks/inbound/${token}` };
  }
}

/** At least 32 random bytes, URL-safe. */
function newToken(): string {
  return `hle_${randomBytes(32).toString('base64url')}`;
}


