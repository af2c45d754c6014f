import { describeAzureDevopsEvent } from './azure-devops-event';
import type { EventSource } from '../../../engine/src/ports';
import { describeBitbucketEvent } from './bitbucket-event';
import { describeDescriptorEvent } from './descriptor-event';
import type { EventDescription, EventFormat, EventInput } from './event-types';
import { describeGenericEvent } from './generic-event';
import { describeGithubEvent } from './github-event';
import { describeGitlabEvent } from './gitlab-event';
import { describeJiraEvent } from './jira-event';
import { describeSlackEvent } from './slack-event';
import { describeStandardWebhooksEvent } from './standard-webhooks-event';
import { describeStripeEvent } from './stripe-event';

/** A fresh object each time: callers may add to what they are given. */
function nothing(): EventDescription {
  return { eventType: null, event: null, deliveryId: null };
}

/**
 * Names a message's event the way its sender does (`eventType`), as a sender-independent
 * `event` with a stable `key`, and finds the sender's delivery id for duplicate detection.
 * Pure, and never throws: a payload that is missing or not what the sender documents yields
 * what the headers alone say, with `event` null or partial. `source` is where the `descriptor`
 * format reads (a provider's descriptor); other formats ignore it.
 */
export function describeEvent(format: EventFormat, input: EventInput, source?: EventSource): EventDescription {
  try {
    return describeWith(format, input, source);
  } catch {
    // The describers read through guarded accessors; this is the backstop for the unforeseen.
    try {
      return describeWith(format, { headers: input.headers, payload: null }, source);
    } catch {
      return nothing();
    }
  }
}

function describeWith(format: EventFormat, input: EventInput, source: EventSource | undefined): EventDescription {
  switch (format) {
    case 'github':
      return describeGithubEvent(input);
    case 'gitlab':
      return describeGitlabEvent(input);
    case 'bitbucket':
      return describeBitbucketEvent(input);
    case 'azure-devops':
      return describeAzureDevopsEvent(input);
    case 'jira':
      return describeJiraEvent(input);
    case 'slack':
      return describeSlackEvent(input);
    case 'stripe':
      return describeStripeEvent(input);
    case 'standard-webhooks':
      return describeStandardWebhooksEvent(input);
    case 'generic':
      return describeGenericEvent(input);
    case 'descriptor':
      return describeDescriptorEvent(input, source);
    case 'none':
      return nothing();
    default:
      return exhaustive(format);
  }
}

/** An unknown format (a stale database value) names nothing rather than failing the message. */
function exhaustive(_format: never): EventDescription {
  return nothing();
}
