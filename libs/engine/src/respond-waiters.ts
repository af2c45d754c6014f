import type { ScriptResponse } from './script-types';
import { httpAnswer, type Answer, type SentAnswer } from './http-answer';

/** A respond() a waiting caller took: its answer as it went out, once known. */
export interface TakenResponse {
  functionId: string;
  status: number;
  sent: Promise<SentAnswer>;
}

interface Waiter {
  answer: (value: Answer) => void;
  timer: NodeJS.Timeout;
}

/**
 * Callers of respond-mode messages waiting for the first respond() of a function run from the
 * queue in this process. The waiter is registered before the message is written, so the worker
 * cannot run it unseen; a caller whose message runs in another process, or later, gets its
 * fallback answer when its time is up. Both sides run on one event loop: whoever comes first
 * decides, and the other finds the waiter gone.
 */
export class RespondWaiters {
  private readonly waiting = new Map<string, Waiter>();

  /** Resolves with the first respond() offered for the message, or with `fallback` after `timeoutMs`. */
  wait(messageId: string, timeoutMs: number, fallback: () => Answer): Promise<Answer> {
    return new Promise<Answer>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(messageId);
        resolve(fallback());
      }, timeoutMs);
      this.waiting.set(messageId, { answer: resolve, timer });
    });
  }

  /** Ends a wait without an answer (the message was not written as queued). */
  cancel(messageId: string): void {
    const waiter = this.waiting.get(messageId);
    if (!waiter) return;
    clearTimeout(waiter.timer);
    this.waiting.delete(messageId);
  }

  isWaiting(messageId: string): boolean {
    return this.waiting.has(messageId);
  }

  /** Hands a function's respond() to the caller waiting for the message; undefined when no one waits any more. */
  offer(messageId: string, response: ScriptResponse, functionId: string): TakenResponse | undefined {
    const waiter = this.waiting.get(messageId);
    if (!waiter) return undefined;
    clearTimeout(waiter.timer);
    this.waiting.delete(messageId);
    const made = httpAnswer(messageId, { kind: 'responded', response });
    const sent = new Promise<SentAnswer>((resolve) => (made.onSent = resolve));
    waiter.answer(made);
    return { functionId, status: made.status, sent };
  }
}

/** Resolves with the promise's value, or with undefined if it has not settled after `ms`. */
export function settleOrGiveUp<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
