import type { Entry, Section } from './config-document';
import { namesById, type ServerState, type View } from './server-state';

/**
 * A write-only value as the planner sees it: where it sits in the file, whether the server has
 * one, and the environment variable an export names for it.
 */
export interface SecretSlot {
  field: string;
  configured: boolean;
  envName: string;
}

/**
 * A server entity in the file's form, secrets left out: the same shape export writes and the
 * planner compares a file's entries with, so that an exported file imports with no changes.
 */
export function toEntry(section: Section, view: View, state: ServerState): Entry {
  switch (section) {
    case 'gitProviders':
      return withoutNulls({ name: view.name, kind: view.kind, baseUrl: view.baseUrl, remoteUrl: view.remoteUrl, username: view.username });
    case 'automations': {
      const target = withoutNulls({ ...(view.target as Record<string, unknown>) });
      return {
        name: view.name,
        description: view.description,
        enabled: view.enabled,
        schedule: view.schedule,
        timeZone: view.timeZone,
        target,
        retry: view.retry,
        events: view.events,
        scmPoll: view.scmPoll,
      };
    }
    case 'providers': {
      const verification = view.verification as { scheme: string; options: Record<string, unknown> };
      return {
        name: view.name,
        description: view.description,
        enabled: view.enabled,
        matchScript: view.matchScript,
        verification: { scheme: verification.scheme, options: verification.options },
        properties: view.properties,
        eventFormat: view.eventFormat,
        answerMode: view.answerMode,
        respondTimeoutMs: view.respondTimeoutMs,
        fixedAnswer: view.fixedAnswer,
        ...(view.descriptor ? { descriptor: view.descriptor } : {}),
      };
    }
    case 'functions': {
      const automations = namesById(state.automations);
      return {
        name: view.name,
        provider: namesById(state.providers).get(view.providerId as string) ?? String(view.providerId),
        uri: view.uri,
        enabled: view.enabled,
        script: view.script,
        condition: view.condition,
        timeoutMs: view.timeoutMs,
        retry: view.retry,
        answerMode: view.answerMode,
        automations: (view.automationIds as string[]).map((id) => automations.get(id) ?? id),
      };
    }
    case 'endpoints': {
      const automations = namesById(state.automations);
      const verification = view.verification as { scheme: string; options: Record<string, unknown> };
      return {
        name: view.name,
        description: view.description,
        enabled: view.enabled,
        verification: { scheme: verification.scheme, options: verification.options },
        automations: (view.automationIds as string[]).map((id) => automations.get(id) ?? id),
        cooldownSeconds: view.cooldownSeconds,
      };
    }
  }
}

/** The write-only values of a server entity. */
export function secretSlots(section: Section, view: View): SecretSlot[] {
  const base = envStem(view.name);
  switch (section) {
    case 'gitProviders':
      return [{ field: 'token', configured: view.tokenConfigured === true, envName: `${base}_GIT_TOKEN` }];
    case 'providers': {
      const verification = view.verification as { secretConfigured: boolean };
      return [
        { field: 'verification.secret', configured: verification.secretConfigured, envName: `${base}_SECRET` },
        ...(view.secretProperties as string[]).map((name) => ({ field: `secretProperties.${name}`, configured: true, envName: `${base}_${envStem(name)}` })),
      ];
    }
    case 'endpoints':
      return [{ field: 'verification.secret', configured: (view.verification as { secretConfigured: boolean }).secretConfigured, envName: `${base}_ENDPOINT_SECRET` }];
    case 'automations':
    case 'functions':
      return [];
  }
}

/** `GitHub Enterprise` → `GITHUB_ENTERPRISE`: a name as it can start an environment variable's. */
function envStem(name: string): string {
  const stem = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Z_]/.test(stem) ? stem : `X_${stem}`;
}

function withoutNulls(record: Record<string, unknown>): Entry {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== undefined)) as Entry;
}
