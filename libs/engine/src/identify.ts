import { matchProvider } from './match-providers';
import type { InboundRequest, MessageStatus, MessageTrace, VerificationRecord } from './message';
import { parseRequest, payloadOf } from './parse-body';
import type { MessageVerifier, ProviderDefinition, VerificationOutcome } from './ports';
import type { ScriptEvent, ScriptRequest, ScriptRunner } from './script-types';

/** The event a provider's format names in a request. */
export interface NamedEvent {
  eventType: string | null;
  event: ScriptEvent | null;
  deliveryId: string | null;
}

/** A sender's endpoint check that the engine answers itself (Slack's `url_verification`). */
export interface HandshakeReply {
  status: number;
  body: unknown;
}

/** What identifying a request needs from the world: the sandbox, the signature schemes and the event formats. */
export interface IdentifyPorts {
  runner: ScriptRunner;
  verifier: MessageVerifier;
  nameEvent(provider: ProviderDefinition, request: ScriptRequest): NamedEvent;
  handshake(provider: ProviderDefinition, payload: unknown): HandshakeReply | null;
}

export interface IdentifyInput {
  /** The request as stored and as scripts see it: credential headers redacted. */
  request: InboundRequest;
  /** The headers as sent, credentials included: for the signature check only. */
  signedHeaders: Record<string, string>;
  /** Enabled providers (or a preview's drafts); tried in priority order. */
  providers: readonly ProviderDefinition[];
  /** A replay by an admin (resubmit, preview): a signature that is only too old is overridden. */
  isReplay: boolean;
  matchTimeoutMs: number;
  /** The trace so far (a resubmit's origin); the steps here are added to it. */
  trace: MessageTrace;
}

export interface Identification extends NamedEvent {
  status: Extract<MessageStatus, 'no_provider' | 'unauthorized'> | 'accepted';
  provider: ProviderDefinition | null;
  /** The request as scripts see it, parsed once here and reused by the functions. */
  request: ScriptRequest;
  handshake?: HandshakeReply;
  reason?: string;
  trace: MessageTrace;
}

const NO_EVENT: NamedEvent = { eventType: null, event: null, deliveryId: null };

/**
 * Step 1 of a message's path, in memory: parse the request, offer it to the providers in
 * priority order (first match wins), verify it against that provider's scheme, name its event.
 * Nothing is stored here, so the message can be written once with its final ingress status.
 */
export async function identify(ports: IdentifyPorts, input: IdentifyInput): Promise<Identification> {
  const trace: MessageTrace = { ...input.trace, providers: [], functions: [] };
  const { request, notes } = parseRequest(input.request);
  if (notes.length > 0) trace.notes = notes;
  const match = await matchProvider(ports.runner, input.providers, request, input.matchTimeoutMs);
  trace.providers = match.evaluations;
  const provider = match.provider;
  if (!provider) return { status: 'no_provider', provider: null, ...NO_EVENT, request, reason: 'no provider matched', trace };
  const signed = { ...input.request, headers: input.signedHeaders };
  const outcome = await ports.verifier.verify({ provider, request: signed, isResubmit: input.isReplay, now: new Date() });
  const verification = verificationRecord(provider.verificationScheme, outcome, input.isReplay);
  trace.verification = verification;
  if (!verification.ok && !verification.overridden) {
    return { status: 'unauthorized', provider, ...NO_EVENT, request, reason: verification.reason, trace };
  }
  const handshake = ports.handshake(provider, payloadOf(request));
  return { ...(handshake && { handshake }), status: 'accepted', provider, ...ports.nameEvent(provider, request), request, trace };
}

/**
 * The status a message is first written with, decided before anything is stored: a sync
 * message is written already `processing` (its functions run at once), an engine-answered
 * handshake already `processed`.
 */
export function ingressStatus(found: Identification, sync: boolean): Extract<MessageStatus, 'no_provider' | 'unauthorized' | 'processed' | 'processing' | 'queued'> {
  if (found.status !== 'accepted') return found.status;
  if (found.handshake) return 'processed';
  return sync ? 'processing' : 'queued';
}

/**
 * The trace's record of a verification. For a replay by an admin (a resubmit, a test, a preview)
 * a signature that is genuine but too old is recorded as overridden rather than failed.
 */
export function verificationRecord(scheme: string, outcome: VerificationOutcome, isReplay: boolean): VerificationRecord {
  if (outcome.ok) return { scheme, ok: true, ...(outcome.matchedSecret && { matchedSecret: outcome.matchedSecret }) };
  if (outcome.staleOnly && isReplay) return { scheme, ok: false, reason: outcome.reason, overridden: true };
  return { scheme, ok: false, reason: outcome.reason };
}
