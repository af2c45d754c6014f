import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { AuditLogRepository, type NewAuditEntry } from './audit-log.repository';
import { auditRuleFor, type AuditRule } from './audited-routes';
import { EntitySnapshots } from './entity-snapshots';
import { redact, secretsIn } from './redact';
import { configFileOf } from '../config-file/config-sessions';

type AuditedRequest = AuthenticatedRequest & { runner?: { id: string; name: string } };

/** Past this size an operation's request body is left out of its entry and only its size kept. */
const MAX_DETAILS_BYTES = 64 * 1024;
/** Fields that change on every save and say nothing about what was changed. */
const NOT_A_CHANGE = new Set(['updatedAt']);

/**
 * Writes an audit entry for every route of AUDITED_ROUTES that succeeds (and for the refusals a
 * rule names, such as a failed login). The entry is written after the change commits, in its own
 * statement: if that write fails the change stands, the failure is logged, and the answer is the
 * change's own.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly log: AuditLogRepository,
    private readonly snapshots: EntitySnapshots,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    const rule = auditRuleFor(request.method, request.routeOptions?.url);
    if (!rule) return next.handle();
    return from(this.before(rule, request)).pipe(
      mergeMap((before) =>
        next.handle().pipe(
          mergeMap(async (answer: unknown) => {
            await this.write(() => this.succeeded(rule, request, before, answer));
            return answer;
          }),
          catchError(async (error: unknown) => {
            if (rule.onFailure?.when(error)) await this.write(() => this.refused(rule, rule.onFailure!.action, request, error));
            throw error;
          }),
        ),
      ),
    );
  }

  private async before(rule: AuditRule, request: AuditedRequest): Promise<unknown> {
    if (rule.snapshot !== 'before' && rule.snapshot !== 'both') return null;
    return this.snapshots.read(rule.entity, rule.idFrom === 'param' ? entityParamOf(request) : null);
  }

  private async succeeded(rule: AuditRule, request: AuditedRequest, before: unknown, answer: unknown): Promise<NewAuditEntry> {
    const actor = actorOf(request, rule.action === 'auth.login' ? (answer as { user?: Record<string, unknown> } | undefined)?.user : undefined);
    const entityId = idOf(rule, request, answer, actor.id);
    const after = rule.snapshot === 'after' || rule.snapshot === 'both' ? await this.snapshots.read(rule.entity, entityId) : null;
    const details: Record<string, unknown> = {};
    const version = paramOf(request, 'version');
    if (version !== null) details.version = version;
    if (rule.keepInput && !isEmpty(request.body)) details.input = request.body;
    if (rule.keepAnswer && answer !== undefined) details.answer = answer;
    const changed = changedFields(before, after);
    if (changed) details.changed = changed;
    // A create without a snapshot (a personal token) is named by its answer.
    const name = nameOf(after) ?? nameOf(before) ?? (rule.idFrom === 'answer' ? nameOf(answer) : null) ?? (rule.entity === 'user' ? actor.name : null);
    return this.entry(request, actor, rule.action, { type: rule.entity, id: entityId, name }, before, after, details, answer);
  }

  private refused(rule: AuditRule, action: string, request: AuditedRequest, error: unknown): NewAuditEntry {
    const actor = actorOf(request);
    // A failed login names the user it tried; no other field of the attempt is kept.
    const tried = rule.action === 'auth.login' ? usernameTried(request.body) : null;
    const details: Record<string, unknown> = { reason: error instanceof Error ? error.message : String(error) };
    if (tried !== null) details.username = tried;
    return this.entry(request, actor, action, { type: rule.entity, id: actor.id, name: actor.name ?? tried }, null, null, details, undefined);
  }

  private entry(
    request: AuditedRequest,
    actor: NewAuditEntry['actor'],
    action: string,
    entity: NewAuditEntry['entity'],
    before: unknown,
    after: unknown,
    details: Record<string, unknown>,
    answer: unknown,
  ): NewAuditEntry {
    // Whatever the request sent or the answer returned under a secret-like name is cut out of
    // every field by value as well, wherever it reappears.
    const known = secretsIn(request.body, answer);
    const safeDetails = redact(details, known) as Record<string, unknown>;
    if (JSON.stringify(safeDetails).length > MAX_DETAILS_BYTES && 'input' in safeDetails) {
      safeDetails.input = { omitted: `the request body, ${JSON.stringify(safeDetails.input).length} bytes as JSON` };
    }
    return {
      actor: { ...actor, identity: redact(actor.identity, known) as Record<string, unknown> | null },
      address: request.ip ?? null,
      userAgent: request.headers['user-agent'] ?? null,
      action,
      entity,
      before: redact(before, known),
      after: redact(after, known),
      details: safeDetails,
    };
  }

  private async write(build: () => Promise<NewAuditEntry> | NewAuditEntry): Promise<void> {
    try {
      await this.log.append(await build());
    } catch (error) {
      this.logger.error(`Could not write an audit entry: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * Who acts: a runner by its token, else the logged-in user with every identity field the request
 * carries (a role, a personal token's id), kept whole so that new fields are recorded as they come.
 */
function actorOf(request: AuditedRequest, loggedIn?: Record<string, unknown>): NewAuditEntry['actor'] {
  if (request.runner) return { via: 'runner', id: request.runner.id, name: request.runner.name, identity: { id: request.runner.id, name: request.runner.name } };
  const user = (loggedIn ?? request.user) as (Record<string, unknown> & { id?: unknown; username?: unknown; tokenId?: unknown }) | undefined;
  if (!user) return { via: 'anonymous', id: null, name: null, identity: null };
  const configFile = configFileOf(request.sessionToken);
  if (configFile !== undefined) {
    return { via: 'system', id: typeof user.id === 'string' ? user.id : null, name: 'HOOKLINE_CONFIG', identity: { configFile, appliedAs: user.username } };
  }
  return {
    via: user.tokenId ? 'token' : 'session',
    id: typeof user.id === 'string' ? user.id : null,
    name: typeof user.username === 'string' ? user.username : null,
    identity: { ...user },
  };
}

/** The entity a path names: `:tokenId` before `:id`, as a token's route names its user too. */
function entityParamOf(request: AuditedRequest): string | null {
  return paramOf(request, 'tokenId') ?? paramOf(request, 'id');
}

function idOf(rule: AuditRule, request: AuditedRequest, answer: unknown, actorId: string | null): string | null {
  switch (rule.idFrom) {
    case 'param':
      return entityParamOf(request);
    case 'answer':
      return textField(answer, 'id');
    case 'actor':
      return actorId;
    case undefined:
      return null;
  }
}

function paramOf(request: AuditedRequest, name: string): string | null {
  const value = (request.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : null;
}

function textField(value: unknown, key: string): string | null {
  const field = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof field === 'string' ? field : null;
}

function nameOf(view: unknown): string | null {
  return textField(view, 'name') ?? textField(view, 'username') ?? textField(view, 'uri');
}

function usernameTried(body: unknown): string | null {
  const name = textField(body, 'username');
  return name === null ? null : name.slice(0, 200);
}

function isEmpty(body: unknown): boolean {
  return body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0);
}

/** The top-level fields whose value differs, for an entry's summary; null unless both sides are objects. */
function changedFields(before: unknown, after: unknown): string[] | null {
  if (!isRecord(before) || !isRecord(after)) return null;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !NOT_A_CHANGE.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key])).sort();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
