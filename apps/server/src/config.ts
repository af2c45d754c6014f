import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogFormat = 'pretty' | 'json';

/** Where spans go over OTLP/HTTP JSON; absent, nothing is exported. */
export interface OtelConfig {
  /** The full traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesUrl: string;
  serviceName: string;
  headers: Record<string, string>;
}

/** What a process does (HOOKLINE_ROLE): answer HTTP, work the queues, fire schedules. */
export const PROCESS_ROLES = ['ingress', 'worker', 'scheduler'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgres'; url: string };

/** The webhook-only listener: separate routes and port, same process and privileges. */
export interface ListenerConfig {
  port: number;
  host: string;
}

export interface AppConfig {
  host: string;
  port: number;
  database: DatabaseConfig;
  /** Where the embedded database, the lock file and a generated master key live. */
  dataDir: string;
  masterKey?: Buffer;
  adminPassword?: string;
  maxBodyBytes: number;
  syncTimeoutMs: number;
  scriptHttpAllow: string[];
  scriptMemoryMb: number;
  /** Isolates for function scripts. */
  functionPoolSize: number;
  /** Function isolates in all, those of runs parked on a host call included. */
  maxFunctionIsolates: number;
  /** Isolates for match scripts and conditions, kept apart so functions can never take them. */
  matchPoolSize: number;
  matchTimeoutMs: number;
  queueConcurrency: number;
  queueLeaseMs: number;
  queuePollMs: number;
  /** Queued messages one claim takes at most. */
  queueClaimBatch: number;
  /** Messages handed to this process's own workers and not finished, at most (back-pressure on async ingress). */
  queueBacklog: number;
  /** How long an async request waits for a place among those before its message goes to the shared queue instead. */
  queueBacklogWaitMs: number;
  /** Message writes that share one statement and commit at most (group commit). */
  writeBatch: number;
  /** Request bodies one batch of new messages holds at most, in bytes; a larger body goes alone. */
  writeBatchBytes: number;
  /** How long a write waits for others to share its commit. */
  writeDelayMs: number;
  catalogTtlMs: number;
  dedupWindowMs: number;
  publicUrl?: string;
  /** The first retry's shortest wait, for policies that do not name one. */
  retryDelayMs: number;
  /** The longest wait between retries, for policies that do not name one. */
  retryMaxDelayMs: number;
  /** Messages a body search reads at most per request. */
  searchScanRows: number;
  retentionDays: number;
  retentionIntervalMs: number;
  /** How long the event log keeps a frame for runners that reconnect (HOOKLINE_EVENT_RETENTION). */
  eventRetentionMs: number;
  /** The event stream's SSE comment interval, so that proxies keep idle streams open. */
  streamHeartbeatMs: number;
  /** How long a stream client's socket may stay full before the client is cut off. */
  streamDrainTimeoutMs: number;
  /** How many frames further behind the head than when it connected a stream client may fall before it is cut off. */
  streamMaxLag: number;
  runnerToken?: string;
  /** Bearer token for GET /metrics; unset, metrics are served only on the webhook-only listener. */
  metricsToken?: string;
  schedulerTickMs: number;
  /** Whether scheduled automations may poll Git hosts (`scmPoll`); off, the API refuses the setting. */
  scmPolling: boolean;
  listener?: ListenerConfig;
  seedBuiltins: boolean;
  sessionTtlMs: number;
  cookieSecure: boolean;
  /** Proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client. */
  trustProxy: string[];
  /** Check every JSON answer against the API contract and log each that breaks it (for test runs). */
  checkResponses: boolean;
  logLevel: LogLevel;
  logFormat: LogFormat;
  otel?: OtelConfig;
  /** The roles this process takes; every role on the embedded database, whatever was asked. */
  roles: readonly ProcessRole[];
  /** HOOKLINE_ROLE as given when the embedded database overrode it, for the start-up log. */
  ignoredRole?: string;
  /** A configuration file applied at start like `hookline import` (HOOKLINE_CONFIG). */
  configFile?: ConfigFileSettings;
}

/** Whether this process takes `role`. */
export function takesRole(config: Pick<AppConfig, 'roles'>, role: ProcessRole): boolean {
  return config.roles.includes(role);
}

export interface ConfigFileSettings {
  path: string;
  /** Delete what the server has and the file lacks, in the sections the file has. */
  prune: boolean;
  /** Send the file's secrets again even where the server has one. */
  updateSecrets: boolean;
}

/** A setting that cannot be used; start-up stops with this message. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable}: ${detail}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads the environment once, validates every value and names the variable of any bad one. */
export function loadConfig(env: Env = process.env, isTerminal = Boolean(process.stdout.isTTY)): AppConfig {
  const dataDir = resolve(read(env, 'HOOKLINE_DATA_DIR') ?? './data');
  const cores = availableParallelism();
  const functionPoolSize = integer(env, 'HOOKLINE_SANDBOX_POOL_SIZE', Math.max(2, cores * 2), 1, 256);
  // Mostly waiting on the database and on callouts: many more than the cores.
  const queueConcurrency = integer(env, 'HOOKLINE_QUEUE_CONCURRENCY', Math.max(16, cores * 8), 1, 256);
  const database = databaseConfig(env, dataDir);
  const roleSetting = read(env, 'HOOKLINE_ROLE');
  const asked = roles(roleSetting);
  // The embedded database lives inside one process: that process has to do everything.
  const isEmbedded = database.kind === 'pglite';
  const key = masterKey(env);
  if (!isEmbedded && key === undefined && asked.length < PROCESS_ROLES.length) {
    // A generated key lives in one process's data directory: the others could not open what it seals.
    throw new ConfigError('HOOKLINE_MASTER_KEY', `must be set, the same in every process, when HOOKLINE_ROLE (${asked.join(',')}) splits the work across processes; e.g. openssl rand -hex 32`);
  }
  const listener = listenerConfig(env);
  if (listener && !isEmbedded && !asked.includes('ingress')) {
    throw new ConfigError('WEBHOOK_INGRESS_PORT', `the webhook-only listener serves webhooks, which only a process with the ingress role accepts (HOOKLINE_ROLE is ${asked.join(',')})`);
  }
  return {
    host: read(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 8080, 0, 65535),
    database,
    dataDir,
    masterKey: key,
    adminPassword: adminPassword(env),
    maxBodyBytes: byteSize(env, 'HOOKLINE_MAX_BODY', 10 * 1024 * 1024),
    syncTimeoutMs: duration(env, 'HOOKLINE_SYNC_TIMEOUT', 10_000),
    scriptHttpAllow: list(env, 'HOOKLINE_SCRIPT_HTTP_ALLOW'),
    scriptMemoryMb: integer(env, 'HOOKLINE_SCRIPT_MEMORY_MB', 64, 8, 4096),
    functionPoolSize,
    maxFunctionIsolates: integer(env, 'HOOKLINE_SANDBOX_MAX_ISOLATES', functionPoolSize * 4, functionPoolSize, 1024),
    matchPoolSize: integer(env, 'HOOKLINE_MATCH_POOL_SIZE', Math.max(2, cores), 1, 256),
    matchTimeoutMs: duration(env, 'HOOKLINE_MATCH_TIMEOUT', 100),
    queueConcurrency,
    queueLeaseMs: duration(env, 'HOOKLINE_QUEUE_LEASE', 30_000),
    queuePollMs: duration(env, 'HOOKLINE_QUEUE_POLL', 1_000),
    queueClaimBatch: integer(env, 'HOOKLINE_QUEUE_BATCH', 16, 1, 1000),
    queueBacklog: integer(env, 'HOOKLINE_QUEUE_BACKLOG', queueConcurrency * 2, 1, 100_000),
    queueBacklogWaitMs: duration(env, 'HOOKLINE_QUEUE_BACKLOG_WAIT', 2_000),
    writeBatch: integer(env, 'HOOKLINE_WRITE_BATCH', 64, 1, 1000),
    writeBatchBytes: byteSize(env, 'HOOKLINE_WRITE_BATCH_BYTES', 4 * 1024 * 1024),
    writeDelayMs: duration(env, 'HOOKLINE_WRITE_DELAY', 1),
    catalogTtlMs: duration(env, 'HOOKLINE_CATALOG_TTL', 60_000),
    dedupWindowMs: duration(env, 'HOOKLINE_DEDUP_WINDOW', 24 * 3600_000),
    seedBuiltins: boolean(env, 'HOOKLINE_SEED_BUILTINS', true),
    publicUrl: publicUrl(env),
    // HOOKLINE_HTTP_BACKOFF is the older name, from when only http automations retried.
    retryDelayMs: duration(env, read(env, 'HOOKLINE_RETRY_DELAY') === undefined ? 'HOOKLINE_HTTP_BACKOFF' : 'HOOKLINE_RETRY_DELAY', 1_000),
    retryMaxDelayMs: duration(env, 'HOOKLINE_RETRY_MAX_DELAY', 3600_000),
    searchScanRows: integer(env, 'HOOKLINE_SEARCH_SCAN_ROWS', 5000, 10, 1_000_000),
    retentionDays: positiveNumber(env, 'HOOKLINE_RETENTION_DAYS', 30),
    retentionIntervalMs: duration(env, 'HOOKLINE_RETENTION_INTERVAL', 3600_000),
    eventRetentionMs: duration(env, 'HOOKLINE_EVENT_RETENTION', 3 * 24 * 3600_000),
    streamHeartbeatMs: duration(env, 'HOOKLINE_STREAM_HEARTBEAT', 15_000),
    streamDrainTimeoutMs: duration(env, 'HOOKLINE_STREAM_DRAIN_TIMEOUT', 30_000),
    streamMaxLag: integer(env, 'HOOKLINE_STREAM_MAX_LAG', 10_000, 1, 10_000_000),
    runnerToken: longToken(env, 'HOOKLINE_RUNNER_TOKEN'),
    metricsToken: longToken(env, 'HOOKLINE_METRICS_TOKEN'),
    schedulerTickMs: duration(env, 'HOOKLINE_SCHEDULER_TICK', 1_000),
    scmPolling: boolean(env, 'HOOKLINE_SCM_POLLING', true),
    listener,
    sessionTtlMs: duration(env, 'HOOKLINE_SESSION_TTL', 12 * 3600_000),
    cookieSecure: boolean(env, 'HOOKLINE_COOKIE_SECURE', false),
    trustProxy: proxies(env, 'HOOKLINE_TRUST_PROXY'),
    checkResponses: boolean(env, 'HOOKLINE_CHECK_RESPONSES', false),
    logLevel: oneOf(env, 'HOOKLINE_LOG_LEVEL', ['error', 'warn', 'info', 'debug'] as const, 'info'),
    // A person at a terminal reads lines; anything else (a container, a pipe, a file) gets one JSON record a line.
    logFormat: oneOf(env, 'HOOKLINE_LOG_FORMAT', ['pretty', 'json'] as const, isTerminal ? 'pretty' : 'json'),
    otel: otelConfig(env),
    roles: isEmbedded ? PROCESS_ROLES : asked,
    ...(isEmbedded && roleSetting !== undefined && { ignoredRole: roleSetting }),
    configFile: configFile(env),
  };
}

/** HOOKLINE_ROLE: `all` (the default) or roles separated by commas, in the order of PROCESS_ROLES. */
function roles(value: string | undefined): ProcessRole[] {
  const accepted = `accepted: all, or one or more of ${PROCESS_ROLES.join(', ')} separated by commas (e.g. ingress or worker,scheduler)`;
  if (value === undefined) return [...PROCESS_ROLES];
  const items = value.split(',').map((item) => item.trim().toLowerCase());
  if (items.length === 1 && items[0] === 'all') return [...PROCESS_ROLES];
  for (const item of items) {
    if (!(PROCESS_ROLES as readonly string[]).includes(item)) {
      throw new ConfigError('HOOKLINE_ROLE', `${item === '' ? 'has an empty role' : `"${item}" is not a role`}; ${accepted}`);
    }
  }
  return PROCESS_ROLES.filter((role) => items.includes(role));
}

function configFile(env: Env): ConfigFileSettings | undefined {
  const path = read(env, 'HOOKLINE_CONFIG');
  const prune = boolean(env, 'HOOKLINE_CONFIG_PRUNE', false);
  const updateSecrets = boolean(env, 'HOOKLINE_CONFIG_UPDATE_SECRETS', false);
  if (path === undefined) {
    if (prune) throw new ConfigError('HOOKLINE_CONFIG_PRUNE', 'needs HOOKLINE_CONFIG, the file whose absent entities it deletes');
    return undefined;
  }
  const resolved = resolve(path);
  if (!existsSync(resolved)) throw new ConfigError('HOOKLINE_CONFIG', `${resolved} does not exist; expected a YAML file (or a directory with hookline.yaml) as hookline export writes`);
  return { path: resolved, prune, updateSecrets };
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function databaseConfig(env: Env, dataDir: string): DatabaseConfig {
  const url = read(env, 'DATABASE_URL');
  if (!url) return { kind: 'pglite', dataDir: resolve(dataDir, 'pglite') };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL; expected postgres://user:password@host:5432/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `has scheme "${parsed.protocol.replace(/:$/, '')}"; expected postgres://user:password@host:5432/database`);
  }
  if (!parsed.hostname || parsed.pathname.length <= 1) {
    throw new ConfigError('DATABASE_URL', 'needs a host and a database name, e.g. postgres://user@127.0.0.1:5432/hookline');
  }
  return { kind: 'postgres', url };
}

function masterKey(env: Env): Buffer | undefined {
  const value = read(env, 'HOOKLINE_MASTER_KEY');
  if (!value) return undefined;
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('HOOKLINE_MASTER_KEY', 'must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)');
  }
  return key;
}

function adminPassword(env: Env): string | undefined {
  const value = env.HOOKLINE_ADMIN_PASSWORD;
  if (value === undefined || value === '') return undefined;
  if (value.length < 8) throw new ConfigError('HOOKLINE_ADMIN_PASSWORD', 'must be at least 8 characters');
  return value;
}

/** WEBHOOK_INGRESS_MODE=listener, or WEBHOOK_INGRESS_PORT alone; WEBHOOK_INBOUND_* are aliases. */
function listenerConfig(env: Env): ListenerConfig | undefined {
  const mode = read(env, 'WEBHOOK_INGRESS_MODE');
  if (mode !== undefined && mode !== 'listener' && mode !== 'off') {
    throw new ConfigError('WEBHOOK_INGRESS_MODE', `"${mode}" is not listener or off`);
  }
  const portName = read(env, 'WEBHOOK_INGRESS_PORT') !== undefined ? 'WEBHOOK_INGRESS_PORT' : 'WEBHOOK_INBOUND_PORT';
  const hostName = read(env, 'WEBHOOK_INGRESS_HOST') !== undefined ? 'WEBHOOK_INGRESS_HOST' : 'WEBHOOK_INBOUND_HOST';
  const hasPort = read(env, portName) !== undefined;
  if (mode === 'off' || (mode !== 'listener' && !hasPort)) return undefined;
  return { port: integer(env, portName, 3003, 0, 65535), host: read(env, hostName) ?? '0.0.0.0' };
}

/** The OpenTelemetry SDKs' own variables, so that a collector set up for other services works unchanged. */
function otelConfig(env: Env): OtelConfig | undefined {
  const tracesName = read(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const endpoint = read(env, tracesName);
  if (endpoint === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError(tracesName, `"${endpoint}" is not an http(s) URL, e.g. http://otel-collector:4318`);
  }
  const tracesUrl = tracesName === 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' ? url.href : `${url.href.replace(/\/+$/, '')}/v1/traces`;
  return { tracesUrl, serviceName: read(env, 'OTEL_SERVICE_NAME') ?? 'hookline', headers: otelHeaders(env) };
}

/** `key=value,key2=value2`, values percent-encoded, as the OpenTelemetry specification has it. */
function otelHeaders(env: Env): Record<string, string> {
  const value = read(env, 'OTEL_EXPORTER_OTLP_HEADERS');
  const headers: Record<string, string> = {};
  if (value === undefined) return headers;
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    const name = at > 0 ? pair.slice(0, at).trim() : '';
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      throw new ConfigError('OTEL_EXPORTER_OTLP_HEADERS', 'is not a list of name=value pairs, e.g. authorization=Bearer%20abc,x-tenant=ops');
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw new ConfigError('OTEL_EXPORTER_OTLP_HEADERS', `the value of ${name} is not percent-encoded correctly`);
    }
    headers[name.toLowerCase()] = decoded;
  }
  return headers;
}

function publicUrl(env: Env): string | undefined {
  const value = read(env, 'HOOKLINE_PUBLIC_URL');
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError('HOOKLINE_PUBLIC_URL', `"${value}" is not an http(s) URL, e.g. https://hooks.example.com`);
  }
  return value.replace(/\/+$/, '');
}

function longToken(env: Env, name: string): string | undefined {
  const value = read(env, name);
  if (value !== undefined && value.length < 24) throw new ConfigError(name, 'must be at least 24 characters (openssl rand -base64 32)');
  return value;
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new ConfigError(name, `"${value}" is not a positive number`);
  return Number(value);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `"${value}" is not a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

function byteSize(env: Env, name: string, fallback: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(value);
  if (!match || Number(match[1]) <= 0) throw new ConfigError(name, `"${value}" is not a size; use bytes or a unit, e.g. 10mb, 512kb`);
  return Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toLowerCase()];
}

const DURATION_UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function duration(env: Env, name: string, fallback: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const match = /^(\d+)\s*(ms|s|m|h|d)?$/i.exec(value);
  if (!match || Number(match[1]) <= 0) throw new ConfigError(name, `"${value}" is not a duration; use e.g. 500ms, 10s, 5m, 3d (a bare number is milliseconds)`);
  return Number(match[1]) * DURATION_UNITS[(match[2] ?? '').toLowerCase()];
}

function list(env: Env, name: string): string[] {
  const value = read(env, name);
  if (!value) return [];
  const items = value.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
  for (const item of items) {
    if (!/^(\*\.)?[a-z0-9.-]+(:\d+)?$/.test(item) && item !== '*') {
      throw new ConfigError(name, `"${item}" is not a host; list hosts like api.example.com, *.example.com or 127.0.0.1:9000`);
    }
  }
  return items;
}

function proxies(env: Env, name: string): string[] {
  const value = read(env, name);
  if (!value) return [];
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of items) {
    const [address, bits, ...rest] = item.split('/');
    const version = isIP(address);
    const maxBits = version === 6 ? 128 : 32;
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (version === 0 || !validBits || rest.length > 0) {
      throw new ConfigError(name, `"${item}" is not an IP address or CIDR range; list proxies like 10.0.0.5, 10.0.0.0/8 or fd00::/8`);
    }
  }
  return items;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = read(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(name, `"${value}" is not true or false`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `"${value}" is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}
