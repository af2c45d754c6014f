import { numberOrText, textOf } from '../shared/number-text';
import type { ScmPollInput } from './automation-types';
import type { ScmPollView } from './scm-poll-types';
import { isBranchGlob } from './scm-text';

/**
 * The "Only run if the branch changed" part of the automation form: text as the inputs hold it.
 * Every field of the setting is in it, so a save sends back what an API user set (globs,
 * paths, backoff) unless the form changed it.
 */
export interface ScmPollDraft {
  /** Polling is on: the automation runs only when a watched branch moved. */
  enabled: boolean;
  providerName: string;
  repo: string;
  /** Branch names or globs, one a line. */
  branches: string;
  /** Path globs, one a line; none runs on any change. */
  paths: string;
  minIntervalSeconds: string;
  webhookDedupWindowSeconds: string;
  backoffBaseSeconds: string;
  backoffMaxSeconds: string;
  backoffThreshold: string;
  /** One branch given as `branch` rather than `branches`: how the stored setting said it, and how a new one says it. */
  single: boolean;
}

export function scmPollDraftOf(setting: ScmPollView | null): ScmPollDraft {
  return {
    enabled: setting !== null,
    providerName: setting?.providerName ?? '',
    repo: setting?.repo ?? '',
    branches: setting ? (setting.branch !== undefined ? [setting.branch] : setting.branches).join('\n') : '',
    paths: (setting?.paths ?? []).join('\n'),
    minIntervalSeconds: textOf(setting?.minIntervalSeconds),
    webhookDedupWindowSeconds: textOf(setting?.webhookDedupWindowSeconds),
    backoffBaseSeconds: textOf(setting?.backoff.baseSeconds),
    backoffMaxSeconds: textOf(setting?.backoff.maxSeconds),
    backoffThreshold: textOf(setting?.backoff.threshold),
    single: setting === null || setting.branch !== undefined,
  };
}

/**
 * What a save (or a Test Poll) sends: null when polling is off. One branch without a glob goes
 * as `branch` unless the stored setting listed it in `branches`; empty numbers are left out for
 * the server's defaults, and text that is no number goes as typed, for the server to name.
 */
export function scmPollInputOf(draft: ScmPollDraft): ScmPollInput | null {
  if (!draft.enabled) return null;
  const branches = linesOf(draft.branches);
  const backoff = optionalNumbers({ baseSeconds: draft.backoffBaseSeconds, maxSeconds: draft.backoffMaxSeconds, threshold: draft.backoffThreshold });
  return {
    providerName: draft.providerName.trim(),
    repo: draft.repo.trim(),
    ...(branches.length === 1 && draft.single && !isBranchGlob(branches[0]) ? { branch: branches[0] } : branches.length > 0 ? { branches } : {}),
    paths: linesOf(draft.paths),
    ...optionalNumbers({ minIntervalSeconds: draft.minIntervalSeconds, webhookDedupWindowSeconds: draft.webhookDedupWindowSeconds }),
    ...(Object.keys(backoff).length > 0 && { backoff }),
  };
}

/** The non-empty lines, trimmed. */
function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The fields typed, each as a number, or as the text when it is none. */
function optionalNumbers<K extends string>(texts: Record<K, string>): Partial<Record<K, number | string>> {
  const numbers: Partial<Record<K, number | string>> = {};
  for (const [field, text] of Object.entries(texts) as Array<[K, string]>) {
    if (text.trim() !== '') numbers[field] = numberOrText(text);
  }
  return numbers;
}
