import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ScriptRunner } from '../../../libs/engine/src';
import { CONFIG, DATA_SOURCE, SCRIPT_RUNNER } from './common/tokens';
import { takesRole, type AppConfig, type ProcessRole } from './config';

/** Each check's limit: a probe that waits longer than this learns the process is not ready. */
const CHECK_MS = 1_000;

export type CheckResult = 'ok' | string;

export interface Readiness {
  ready: boolean;
  /** The roles this process takes (HOOKLINE_ROLE): what the checks were chosen for. */
  roles: readonly ProcessRole[];
  checks: { database: CheckResult; migrations: CheckResult; sandbox?: CheckResult };
}

/**
 * Whether this process can do its work: the database answers, every migration is applied, and
 * (for the ingress and worker roles, which run scripts) the sandbox runs a script. A scheduler
 * alone runs no script, so a broken sandbox does not hold it back. Each check is bounded, so a
 * probe is answered within about a second whatever is wrong.
 */
@Injectable()
export class ReadinessChecks {
  /** Migrations are never undone while the process runs: once found applied, not asked again. */
  private migrationsApplied = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<Readiness> {
    const runsScripts = takesRole(this.config, 'ingress') || takesRole(this.config, 'worker');
    const [database, migrations, sandbox] = await Promise.all([
      within(async () => {
        await this.db.query('SELECT 1');
      }),
      within(() => this.checkMigrations()),
      runsScripts ? within(() => this.checkSandbox()) : undefined,
    ]);
    const checks = { database, migrations, ...(sandbox !== undefined && { sandbox }) };
    return { ready: Object.values(checks).every((result) => result === 'ok'), roles: this.config.roles, checks };
  }

  private async checkMigrations(): Promise<void> {
    if (this.migrationsApplied) return;
    if (await this.db.showMigrations()) throw new Error('migrations are pending: run npm run migrate, or start the server once with the new version');
    this.migrationsApplied = true;
  }

  private async checkSandbox(): Promise<void> {
    const outcome = await this.scripts.evaluateCondition({
      expression: '1 + 1 === 2',
      scope: { provider: { name: 'readiness', properties: {} }, eventType: null, event: null, method: 'GET', headers: {}, query: {}, body: '', payload: null },
      timeoutMs: CHECK_MS,
    });
    if (!outcome.ok) throw new Error(`the sandbox did not run a script: ${outcome.error.message}`);
    if (outcome.value !== true) throw new Error('the sandbox answered a script wrongly');
  }
}

/** `ok`, or why not: the error's message, or that it took longer than the limit. */
async function within(check: () => Promise<void>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_MS} ms`), CHECK_MS);
  });
  try {
    return await Promise.race([
      check().then(
        () => 'ok',
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
