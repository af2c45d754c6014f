import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { duplicateReason, payloadOf, resolveScmPollSettings, type ScriptRequest } from '../../../../libs/engine/src';
import { deliveredCommit } from '../../../../libs/providers/src';
import { RunsService, type RunOrigin } from '../automations/runs.service';
import type { AutomationEntity } from '../database/entities/automation.entity';
import type { RunEntity } from '../database/entities/run.entity';
import { ShaClaimsRepository } from './sha-claims.repository';

/**
 * Starts the runs a webhook delivery asks for (an endpoint's linked automations, a function's
 * trigger). For an automation that polls, the commit the delivery announces is recorded on the
 * run (`commitSha`) and, within the automation's dedup window, claimed: a commit a poll already
 * ran is recorded as a skipped run that names the poll's run, and a poll that comes later skips it.
 */
@Injectable()
export class DeliveryRuns {
  constructor(
    private readonly runs: RunsService,
    private readonly claims: ShaClaimsRepository,
  ) {}

  /** `request` is asked for only when the automation polls, so other deliveries are not parsed for it. */
  async start(automation: AutomationEntity, origin: RunOrigin, request: () => ScriptRequest): Promise<RunEntity> {
    const commit = automation.scmPoll ? deliveredCommit(request().headers, payloadOf(request())) : null;
    if (automation.scmPoll === null || commit === null) return this.runs.start(automation, origin);
    const window = resolveScmPollSettings(automation.scmPoll).webhookDedupWindowSeconds;
    // The run's id is chosen first: the claim names it before the run exists.
    const runId = randomUUID();
    const started: RunOrigin = { ...origin, runId, commitSha: commit.sha };
    // A disabled automation's run is skipped anyway, and must not keep a poll from running the commit later.
    if (window === 0 || !automation.enabled) return this.runs.start(automation, started);
    const claim = await this.claims.claimSha(automation.id, { sha: commit.sha, source: 'webhook', runId, seenAt: new Date() }, window);
    return claim.first ? this.runs.start(automation, started) : this.runs.skip(automation, started, duplicateReason(claim.earlier));
  }
}

/** The request parsed once, on first use. */
export function parsedOnce(parse: () => ScriptRequest): () => ScriptRequest {
  let parsed: ScriptRequest | undefined;
  return () => (parsed ??= parse());
}
