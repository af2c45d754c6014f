import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to embedded PGlite in ./data, port 8080 on 127.0.0.1, 10 MB bodies and a 10 s sync timeout', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: expect.stringMatching(/data\/pglite$/) });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, maxBodyBytes: 10 * 1024 * 1024, syncTimeoutMs: 10_000, scriptHttpAllow: [] });
  });

  it('reads sizes, durations and host lists with units', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/hookline',
      HOOKLINE_MAX_BODY: '512kb',
      HOOKLINE_SYNC_TIMEOUT: '2m',
      HOOKLINE_SCRIPT_HTTP_ALLOW: 'api.example.com, *.internal.test,127.0.0.1:9000',
      HOOKLINE_MASTER_KEY: 'a'.repeat(64),
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/hookline' });
    expect(config.maxBodyBytes).toBe(512 * 1024);
    expect(config.syncTimeoutMs).toBe(120_000);
    expect(config.scriptHttpAllow).toEqual(['api.example.com', '*.internal.test', '127.0.0.1:9000']);
    expect(config.masterKey?.length).toBe(32);
  });

  it('reads the trusted proxies as IPv4 and IPv6 addresses and CIDR ranges', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ HOOKLINE_TRUST_PROXY: ' 10.0.0.0/8, 127.0.0.1,::1 , fd00::/8' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8']);
    for (const bad of ['10.0.0.0/33', 'proxy.example.com', '10.0.0.1/', '::1/129', '300.1.1.1']) {
      expect(() => loadConfig({ HOOKLINE_TRUST_PROXY: `127.0.0.1,${bad}` })).toThrow(
        new ConfigError('HOOKLINE_TRUST_PROXY', `"${bad}" is not an IP address or CIDR range; list proxies like 10.0.0.5, 10.0.0.0/8 or fd00::/8`),
      );
    }
  });

  it('names the variable and what it expects for a bad value', () => {
    expect(() => loadConfig({ HOOKLINE_MAX_BODY: 'huge' })).toThrow(new ConfigError('HOOKLINE_MAX_BODY', '"huge" is not a size; use bytes or a unit, e.g. 10mb, 512kb'));
    expect(() => loadConfig({ DATABASE_URL: 'postgres://host' })).toThrow(/DATABASE_URL: needs a host and a database name/);
    expect(() => loadConfig({ HOOKLINE_SCRIPT_HTTP_ALLOW: 'http://x.com/' })).toThrow(/HOOKLINE_SCRIPT_HTTP_ALLOW: "http:\/\/x.com\/" is not a host/);
    expect(() => loadConfig({ HOOKLINE_ADMIN_PASSWORD: 'short' })).toThrow(/HOOKLINE_ADMIN_PASSWORD: must be at least 8 characters/);
  });

  it('allows SCM polling unless HOOKLINE_SCM_POLLING turns it off, and refuses a value that is not true or false', () => {
    expect(loadConfig({}).scmPolling).toBe(true);
    expect([loadConfig({ HOOKLINE_SCM_POLLING: 'false' }).scmPolling, loadConfig({ HOOKLINE_SCM_POLLING: '0' }).scmPolling, loadConfig({ HOOKLINE_SCM_POLLING: 'TRUE' }).scmPolling]).toEqual([false, false, true]);
    expect(() => loadConfig({ HOOKLINE_SCM_POLLING: 'off' })).toThrow(new ConfigError('HOOKLINE_SCM_POLLING', '"off" is not true or false'));
  });

  it('sizes the function and the match isolate pools apart, each validated', () => {
    expect(loadConfig({ HOOKLINE_SANDBOX_POOL_SIZE: '6', HOOKLINE_MATCH_POOL_SIZE: '3' })).toMatchObject({ functionPoolSize: 6, matchPoolSize: 3 });
    expect(loadConfig({}).matchPoolSize).toBeGreaterThanOrEqual(2);
    expect(() => loadConfig({ HOOKLINE_MATCH_POOL_SIZE: '0' })).toThrow(/^HOOKLINE_MATCH_POOL_SIZE: /);
    expect(() => loadConfig({ HOOKLINE_MATCH_POOL_SIZE: 'many' })).toThrow(/^HOOKLINE_MATCH_POOL_SIZE: /);
  });

  it('lets function isolates grow for parked runs to four times the pool size, or the limit given', () => {
    expect(loadConfig({ HOOKLINE_SANDBOX_POOL_SIZE: '3' }).maxFunctionIsolates).toBe(12);
    expect(loadConfig({ HOOKLINE_SANDBOX_POOL_SIZE: '3', HOOKLINE_SANDBOX_MAX_ISOLATES: '40' }).maxFunctionIsolates).toBe(40);
    expect(() => loadConfig({ HOOKLINE_SANDBOX_POOL_SIZE: '3', HOOKLINE_SANDBOX_MAX_ISOLATES: '2' })).toThrow(
      'HOOKLINE_SANDBOX_MAX_ISOLATES: "2" is not a whole number from 3 to 1024',
    );
  });

  it('starts the webhook-only listener from WEBHOOK_INGRESS_MODE or a port alone, with aliases', () => {
    expect(loadConfig({}).listener).toBeUndefined();
    expect(loadConfig({ WEBHOOK_INGRESS_MODE: 'listener' }).listener).toEqual({ port: 3003, host: '0.0.0.0' });
    expect(loadConfig({ WEBHOOK_INGRESS_PORT: '4000', WEBHOOK_INGRESS_HOST: '127.0.0.1' }).listener).toEqual({ port: 4000, host: '127.0.0.1' });
    expect(loadConfig({ WEBHOOK_INBOUND_PORT: '4001', WEBHOOK_INBOUND_HOST: '::1' }).listener).toEqual({ port: 4001, host: '::1' });
    expect(loadConfig({ WEBHOOK_INGRESS_MODE: 'off', WEBHOOK_INGRESS_PORT: '4000' }).listener).toBeUndefined();
    expect(() => loadConfig({ WEBHOOK_INGRESS_MODE: 'sideways' })).toThrow(/WEBHOOK_INGRESS_MODE: "sideways" is not listener or off/);
  });

  it('reads retention, public URL and runner token settings', () => {
    const config = loadConfig({ HOOKLINE_RETENTION_DAYS: '7.5', HOOKLINE_PUBLIC_URL: 'https://hooks.example.com/', HOOKLINE_RUNNER_TOKEN: 'x'.repeat(24) });
    expect(config).toMatchObject({ retentionDays: 7.5, publicUrl: 'https://hooks.example.com', runnerToken: 'x'.repeat(24) });
    expect(loadConfig({}).retentionDays).toBe(30);
    expect(() => loadConfig({ HOOKLINE_RETENTION_DAYS: '-1' })).toThrow(/HOOKLINE_RETENTION_DAYS: "-1" is not a positive number/);
    expect(() => loadConfig({ HOOKLINE_PUBLIC_URL: 'ftp://x' })).toThrow(/HOOKLINE_PUBLIC_URL/);
    expect(() => loadConfig({ HOOKLINE_RUNNER_TOKEN: 'short' })).toThrow(/HOOKLINE_RUNNER_TOKEN: must be at least 24 characters/);
  });

  it('reads the metrics token, refusing one shorter than 24 characters', () => {
    expect(loadConfig({ HOOKLINE_METRICS_TOKEN: 'm'.repeat(24) }).metricsToken).toBe('m'.repeat(24));
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(() => loadConfig({ HOOKLINE_METRICS_TOKEN: 'm'.repeat(23) })).toThrow(/HOOKLINE_METRICS_TOKEN: must be at least 24 characters/);
  });

  it('reads the event stream and event retention settings, with days as a duration unit', () => {
    expect(loadConfig({})).toMatchObject({ eventRetentionMs: 3 * 86_400_000, streamHeartbeatMs: 15_000, streamDrainTimeoutMs: 30_000, streamMaxLag: 10_000 });
    const config = loadConfig({ HOOKLINE_EVENT_RETENTION: '2d', HOOKLINE_STREAM_HEARTBEAT: '200ms', HOOKLINE_STREAM_DRAIN_TIMEOUT: '1s', HOOKLINE_STREAM_MAX_LAG: '50' });
    expect(config).toMatchObject({ eventRetentionMs: 2 * 86_400_000, streamHeartbeatMs: 200, streamDrainTimeoutMs: 1000, streamMaxLag: 50 });
    expect(() => loadConfig({ HOOKLINE_EVENT_RETENTION: 'a week' })).toThrow(/HOOKLINE_EVENT_RETENTION: "a week" is not a duration; use e.g. 500ms, 10s, 5m, 3d/);
    expect(() => loadConfig({ HOOKLINE_STREAM_MAX_LAG: '0' })).toThrow(/HOOKLINE_STREAM_MAX_LAG: "0" is not a whole number from 1 to 10000000/);
  });

  it('reads HOOKLINE_ROLE as all or a comma-separated list of roles, on PostgreSQL', () => {
    const pg = { DATABASE_URL: 'postgres://u@db:5432/hookline', HOOKLINE_MASTER_KEY: 'a'.repeat(64) };
    expect(loadConfig(pg).roles).toEqual(['ingress', 'worker', 'scheduler']);
    expect(loadConfig({ ...pg, HOOKLINE_ROLE: 'all' }).roles).toEqual(['ingress', 'worker', 'scheduler']);
    expect(loadConfig({ ...pg, HOOKLINE_ROLE: 'ingress' }).roles).toEqual(['ingress']);
    expect(loadConfig({ ...pg, HOOKLINE_ROLE: ' Scheduler, worker ' }).roles).toEqual(['worker', 'scheduler']);
    expect(() => loadConfig({ ...pg, HOOKLINE_ROLE: 'ingress,workers' })).toThrow(
      new ConfigError('HOOKLINE_ROLE', '"workers" is not a role; accepted: all, or one or more of ingress, worker, scheduler separated by commas (e.g. ingress or worker,scheduler)'),
    );
    expect(() => loadConfig({ ...pg, HOOKLINE_ROLE: 'worker,' })).toThrow(/HOOKLINE_ROLE: has an empty role; accepted: all, or one or more of ingress, worker, scheduler/);
    expect(() => loadConfig({ ...pg, HOOKLINE_ROLE: 'all,worker' })).toThrow(/HOOKLINE_ROLE: "all" is not a role/);
  });

  it('gives the embedded database every role, and keeps the asked role to say it is ignored', () => {
    expect(loadConfig({}).ignoredRole).toBeUndefined();
    const config = loadConfig({ HOOKLINE_ROLE: 'worker' });
    expect(config.roles).toEqual(['ingress', 'worker', 'scheduler']);
    expect(config.ignoredRole).toBe('worker');
    // A bad value is refused on the embedded database too: it would be wrong once moved to PostgreSQL.
    expect(() => loadConfig({ HOOKLINE_ROLE: 'web' })).toThrow(/HOOKLINE_ROLE: "web" is not a role/);
  });

  it('refuses the webhook-only listener in a process without the ingress role', () => {
    const key = { HOOKLINE_MASTER_KEY: 'a'.repeat(64) };
    expect(() => loadConfig({ ...key, DATABASE_URL: 'postgres://u@db:5432/hookline', HOOKLINE_ROLE: 'worker', WEBHOOK_INGRESS_PORT: '3003' })).toThrow(
      /WEBHOOK_INGRESS_PORT: the webhook-only listener serves webhooks, which only a process with the ingress role accepts \(HOOKLINE_ROLE is worker\)/,
    );
    expect(loadConfig({ ...key, DATABASE_URL: 'postgres://u@db:5432/hookline', HOOKLINE_ROLE: 'ingress', WEBHOOK_INGRESS_PORT: '3003' }).listener?.port).toBe(3003);
  });

  it('needs HOOKLINE_MASTER_KEY when HOOKLINE_ROLE splits the work on PostgreSQL: a generated key would differ per process', () => {
    const pg = { DATABASE_URL: 'postgres://u@db:5432/hookline' };
    expect(() => loadConfig({ ...pg, HOOKLINE_ROLE: 'worker,scheduler' })).toThrow(
      new ConfigError('HOOKLINE_MASTER_KEY', 'must be set, the same in every process, when HOOKLINE_ROLE (worker,scheduler) splits the work across processes; e.g. openssl rand -hex 32'),
    );
    expect(loadConfig({ ...pg, HOOKLINE_ROLE: 'all' }).masterKey).toBeUndefined();
    expect(loadConfig({ HOOKLINE_ROLE: 'worker' }).masterKey).toBeUndefined();
  });

  it('writes pretty lines on a terminal and JSON otherwise, unless HOOKLINE_LOG_FORMAT says which', () => {
    expect(loadConfig({}, true).logFormat).toBe('pretty');
    expect(loadConfig({}, false).logFormat).toBe('json');
    expect(loadConfig({ HOOKLINE_LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(loadConfig({ HOOKLINE_LOG_FORMAT: 'pretty' }, false).logFormat).toBe('pretty');
    expect(() => loadConfig({ HOOKLINE_LOG_FORMAT: 'text' })).toThrow(new ConfigError('HOOKLINE_LOG_FORMAT', '"text" is not one of pretty, json'));
  });

  it('exports spans only when an OTLP endpoint is set, with the collector headers decoded', () => {
    expect(loadConfig({}).otel).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc, x-tenant=ops' }).otel).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'hookline',
      headers: { authorization: 'Bearer abc', 'x-tenant': 'ops' },
    });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/traces', OTEL_SERVICE_NAME: 'hooks' }).otel).toMatchObject({
      tracesUrl: 'https://b/traces',
      serviceName: 'hooks',
    });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" is not an http\(s\) URL/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign' })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS: is not a list of name=value pairs/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_HEADERS: 'a=%E0%A4%A' })).toThrow(/the value of a is not percent-encoded correctly/);
  });

  it('reads HOOKLINE_CONFIG as an existing file or directory, with prune and secret updates off unless asked', () => {
    expect(loadConfig({}).configFile).toBeUndefined();
    expect(loadConfig({ HOOKLINE_CONFIG: __dirname, HOOKLINE_CONFIG_PRUNE: 'true' }).configFile).toEqual({ path: __dirname, prune: true, updateSecrets: false });
    expect(() => loadConfig({ HOOKLINE_CONFIG: '/nowhere/hookline.yaml' })).toThrow(
      new ConfigError('HOOKLINE_CONFIG', '/nowhere/hookline.yaml does not exist; expected a YAML file (or a directory with hookline.yaml) as hookline export writes'),
    );
    expect(() => loadConfig({ HOOKLINE_CONFIG_PRUNE: 'true' })).toThrow(new ConfigError('HOOKLINE_CONFIG_PRUNE', 'needs HOOKLINE_CONFIG, the file whose absent entities it deletes'));
  });
});
