import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig, PROCESS_ROLES } from '../apps/server/src/config';

/**
 * The deployment files (Dockerfile, deploy/compose.yaml, deploy/k8s/*.yaml) cannot be run here:
 * they are parsed and checked against the server they start, its settings, its probes and its paths.
 */
const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The command `npm start` ends with: what every container must run. */
const START = /node --no-node-snapshot (\S+)$/.exec(JSON.parse(read('package.json')).scripts.start as string)!;
const COMMAND = ['node', '--no-node-snapshot', START[1]];
/** Every variable config.ts reads. */
const SETTINGS = new Set([...read('apps/server/src/config.ts').matchAll(/'((?:HOOKLINE|WEBHOOK)_[A-Z_]+|DATABASE_URL|HOST|PORT)'/g)].map((m) => m[1]));

type Env = Record<string, string>;

/** A compose value with its ${NAME:-default} and ${NAME:?message} filled in as the shell would, given `vars`. */
function interpolate(value: string, vars: Env): string {
  return value.replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_all, name: string, fallback?: string) => vars[name] ?? fallback ?? '');
}

function rolesOf(env: Env): readonly string[] {
  return loadConfig(env).roles;
}

describe('deployment files', () => {
  it('builds the image on Node 22 or 24 with npm install and runs the built server with --no-node-snapshot', () => {
    const dockerfile = read('Dockerfile');
    expect(existsSync(join(ROOT, START[1]))).toBe(true);
    expect([...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => m[1]).every((major) => major === '22' || major === '24')).toBe(true);
    expect(dockerfile).toMatch(/^RUN npm install$/m);
    expect(dockerfile).toMatch(/^RUN npm run build\b/m);
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
    expect(JSON.parse(cmd![1])).toEqual(COMMAND);
  });

  it('composes PostgreSQL, an ingress and a worker service whose settings the server accepts', () => {
    const compose = parse(read('deploy/compose.yaml'));
    expect(Object.keys(compose.services).sort()).toEqual(['ingress', 'postgres', 'worker']);
    const vars = { HOOKLINE_MASTER_KEY: 'ab'.repeat(32) };
    const roles: Record<string, readonly string[]> = {};
    for (const name of ['ingress', 'worker']) {
      const service = compose.services[name];
      expect(service.command).toEqual(COMMAND);
      const env: Env = Object.fromEntries(Object.entries(service.environment as Env).map(([key, value]) => [key, interpolate(String(value), vars)]));
      expect(Object.keys(env).filter((key) => !SETTINGS.has(key))).toEqual([]);
      expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
      roles[name] = rolesOf(env);
      // The probe asks the port the server listens on.
      expect(service.healthcheck.test.join(' ')).toContain(`127.0.0.1:${env.PORT}/ready`);
      // The master key must be given, not defaulted: the compose file refuses to start without it.
      expect(String(service.environment.HOOKLINE_MASTER_KEY)).toMatch(/^\$\{HOOKLINE_MASTER_KEY:\?/);
    }
    expect(roles).toEqual({ ingress: ['ingress'], worker: ['worker', 'scheduler'] });
    expect(compose.services.ingress.ports).toEqual([`${compose.services.ingress.environment.PORT}:${compose.services.ingress.environment.PORT}`]);
    expect(compose.services.worker.ports).toBeUndefined();
    expect(compose.services.postgres.image).toMatch(/^postgres:\d+/);
  });

  describe('Kubernetes manifests', () => {
    const docs = readdirSync(join(ROOT, 'deploy', 'k8s'))
      .filter((file) => file.endsWith('.yaml'))
      .flatMap((file) => parseAllDocuments(read(join('deploy', 'k8s', file))).map((doc) => doc.toJS()));
    const deployments = docs.filter((doc) => doc.kind === 'Deployment');
    const secret = docs.find((doc) => doc.kind === 'Secret');
    const containerOf = (deployment: any) => deployment.spec.template.spec.containers[0];
    const envOf = (deployment: any): Array<{ name: string; value?: string; valueFrom?: any }> => containerOf(deployment).env;

    it('has one Deployment per role, each running the built server with that role', () => {
      const byRole = Object.fromEntries(
        deployments.map((deployment) => {
          const env = envOf(deployment);
          const plain = Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
          return [deployment.metadata.name, rolesOf({ ...plain, DATABASE_URL: 'postgres://u@db:5432/hookline', HOOKLINE_MASTER_KEY: 'ab'.repeat(32) })];
        }),
      );
      expect(byRole).toEqual(Object.fromEntries(PROCESS_ROLES.map((role) => [`hookline-${role}`, [role]])));
      for (const deployment of deployments) {
        expect(containerOf(deployment).command).toEqual(COMMAND);
        expect(envOf(deployment).map((e) => e.name).filter((name) => !SETTINGS.has(name))).toEqual([]);
        expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
      }
    });

    it('probes /ready for readiness and /health for liveness on the port the server listens on', () => {
      for (const deployment of deployments) {
        const container = containerOf(deployment);
        const port = envOf(deployment).find((e) => e.name === 'PORT')!.value;
        const named = container.ports.find((p: any) => p.name === container.readinessProbe.httpGet.port);
        expect([deployment.metadata.name, container.readinessProbe.httpGet.path, String(named.containerPort)]).toEqual([deployment.metadata.name, '/ready', port]);
        expect(container.livenessProbe.httpGet.path).toBe('/health');
      }
    });

    it('takes HOOKLINE_MASTER_KEY and DATABASE_URL from a Secret that holds them', () => {
      expect(Object.keys(secret.stringData).sort()).toEqual(['DATABASE_URL', 'HOOKLINE_MASTER_KEY']);
      for (const deployment of deployments) {
        const fromSecret = envOf(deployment).filter((e) => e.valueFrom?.secretKeyRef);
        expect(fromSecret.map((e) => [e.name, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key]).sort()).toEqual([
          ['DATABASE_URL', secret.metadata.name, 'DATABASE_URL'],
          ['HOOKLINE_MASTER_KEY', secret.metadata.name, 'HOOKLINE_MASTER_KEY'],
        ]);
      }
    });

    it('sends the Service to the ingress pods only, on their http port', () => {
      const service = docs.find((doc) => doc.kind === 'Service');
      const ingress = deployments.find((d) => d.metadata.name === 'hookline-ingress');
      expect(service.spec.selector).toEqual(ingress.spec.template.metadata.labels);
      expect(service.spec.ports[0].targetPort).toBe(containerOf(ingress).ports[0].name);
      for (const other of deployments.filter((d) => d !== ingress)) {
        const labels = other.spec.template.metadata.labels;
        expect(Object.entries(service.spec.selector).every(([key, value]) => labels[key] === value)).toBe(false);
      }
    });
  });
});
