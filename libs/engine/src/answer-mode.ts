/** How a webhook's sender is answered: at once, after the first respond() (or a timeout), or after the functions ran. */
export const ANSWER_MODES = ['async', 'respond', 'sync'] as const;
export type AnswerMode = (typeof ANSWER_MODES)[number];

/** What decided the answer mode: the provider's setting, a function's override, or the sender. */
export type AnswerModeSource = 'provider' | 'function' | 'header' | 'query';

/** A provider's own async answer, sent in place of the usual 202 for senders that expect a particular body. */
export interface FixedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface DecidedMode {
  mode: AnswerMode;
  source: AnswerModeSource;
  /** For a mode set by a function's override: that function. */
  functionId?: string;
}

const STRENGTH: Record<AnswerMode, number> = { async: 0, respond: 1, sync: 2 };

/**
 * The answer mode of one message. The sender forcing sync (header, then query) wins; otherwise
 * each function registered for the message takes its own override or the provider's mode, and the
 * strongest of them wins (sync over respond over async), so no function that wants its answer
 * heard is answered for too early. With no function registered, the provider's mode holds.
 */
export function decideAnswerMode(input: {
  providerMode: AnswerMode;
  functions: ReadonlyArray<{ id: string; answerMode: AnswerMode | null }>;
  forced: 'header' | 'query' | null;
}): DecidedMode {
  if (input.forced) return { mode: 'sync', source: input.forced };
  let decided: DecidedMode = { mode: input.providerMode, source: 'provider' };
  let strongest = -1;
  for (const fn of input.functions) {
    const mode = fn.answerMode ?? input.providerMode;
    if (STRENGTH[mode] <= strongest) continue;
    strongest = STRENGTH[mode];
    decided = fn.answerMode === null ? { mode, source: 'provider' } : { mode, source: 'function', functionId: fn.id };
  }
  return decided;
}
