import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { resolveScmPollSettings, SCM_POLL_DEFAULTS, type ScmPollStateStore } from '../../../../libs/engine/src';
import { AutomationsRepository } from '../automations/automations.repository';
import { ScmPollInput, storedScmPoll } from '../automations/scm-poll-input';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { isUuid } from '../common/ids';
import { CONFIG } from '../common/tokens';
import { validate } from '../common/validate';
import type { AppConfig } from '../config';
import type { AutomationEntity } from '../database/entities/automation.entity';
import { toBranchStateView, toTestPollView } from './scm-poll-answers';
import { pollsSameRepository, ScmPollSetting, scmPollView } from './scm-poll-setting';
import { ScmPollStateRepository } from './scm-poll-state.repository';
import type { ScmStateView, ScmTestPollView } from './scm-poll-view';
import { ScmPoller } from './scm-poller';

export const TestPollInput = z.strictObject(
  { scmPoll: ScmPollInput.optional() },
  { error: 'must be an object, {} to test the saved scmPoll or {"scmPoll": {...}} to test a draft' },
);

/** Poll state of a repository never polled: a draft of another repository compares with no SHA. */
const NO_POLL_STATE: ScmPollStateStore = {
  readPollState: () => Promise.resolve([]),
  takeDueBranches: () => Promise.reject(new Error('a test poll takes no branches')),
  writeBranchState: () => Promise.reject(new Error('a test poll writes no state')),
};

/** Test Poll and the poll state of automations. */
@Injectable()
export class ScmPollService {
  constructor(
    private readonly automations: AutomationsRepository,
    private readonly setting: ScmPollSetting,
    private readonly poller: ScmPoller,
    private readonly state: ScmPollStateRepository,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Polls the saved setting, or the draft in `body.scmPoll`, as a dry run: every watched branch is
   * asked for its head now, and compared with the SHA the poll state holds (none for a draft of
   * another provider or repository). Nothing is written and no run starts.
   */
  async testPoll(id: string, body: unknown): Promise<ScmTestPollView> {
    const automation = await this.require(id);
    const input = validate(TestPollInput, body);
    if (!this.config.scmPolling) {
      throw new ValidationFailedError({ scmPoll: 'cannot be polled: SCM polling is turned off on this server (HOOKLINE_SCM_POLLING=false)' });
    }
    const draft = input.scmPoll ? storedScmPoll(input.scmPoll) : null;
    const tested = draft ?? automation.scmPoll;
    if (tested === null) {
      throw new ValidationFailedError({ scmPoll: 'is required: this automation does not poll; send the setting to test as scmPoll, e.g. {"scmPoll": {"providerName": "github-main", "repo": "acme/api", "branch": "main"}}' });
    }
    if (draft) await this.setting.checkProviderName(draft);
    const state = pollsSameRepository(automation.scmPoll, tested) ? this.state : NO_POLL_STATE;
    return toTestPollView(await this.poller.testPoll(automation.id, resolveScmPollSettings(tested), state));
  }

  /** Each polled branch's state, with the setting in force. */
  async pollState(id: string): Promise<ScmStateView> {
    const automation = await this.require(id);
    const scmPoll = scmPollView(automation.scmPoll);
    const backoff = scmPoll?.backoff ?? SCM_POLL_DEFAULTS.backoff;
    return {
      automationId: automation.id,
      pollingEnabled: this.config.scmPolling,
      scmPoll,
      branches: (await this.state.readPollState(automation.id)).map((state) => toBranchStateView(state, backoff)),
    };
  }

  private async require(id: string): Promise<AutomationEntity> {
    const automation = isUuid(id) ? await this.automations.findById(id) : null;
    if (!automation) throw new NotFoundError('automation', id);
    return automation;
  }
}
