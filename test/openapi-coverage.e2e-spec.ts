import { OPENAPI_DOCUMENT } from '../apps/server/src/docs/openapi';
import { TestServer } from './support/test-server';
import { ROUTE_ROLES } from './support/route-roles';

/** Routes the document leaves out on purpose: the ingress wildcard is described under its own path. */
const UNDOCUMENTED = new Set(['ALL /webhooks/*']);

/** The ingress as the document names it, and as the role table does: one wildcard route for every method. */
const TABLE_NAMES: Record<string, string> = { 'POST /webhooks/:uri': 'ALL /webhooks/*' };

/** `METHOD /path/:param` with every parameter named alike, so that `{id}` and `:jobId` compare equal. */
function routeOf(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{\w+\}|:\w+/g, ':param')}`;
}

function documentedRoutes(): string[] {
  return Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([path, item]) =>
    Object.keys(item as object)
      .filter((key) => ['get', 'post', 'put', 'delete', 'patch'].includes(key))
      .map((method) => routeOf(method, path)),
  );
}

// The routes come from the running server itself (the framework logs each route it maps at the
// debug level), so a route added without its description fails here, whoever adds it.
describe('the OpenAPI document', () => {
  let server: TestServer;
  let routes: string[];

  beforeAll(async () => {
    server = await TestServer.start({ HOOKLINE_LOG_LEVEL: 'debug' });
    routes = [...server.logs.matchAll(/Mapped \{([^,}]+), ([A-Z]+)\} route/g)].map(([, path, method]) => routeOf(method, path));
  });

  afterAll(async () => {
    await server.close();
  });

  it('describes every route the server serves, with its method', () => {
    expect(routes.length).toBeGreaterThanOrEqual(80);
    const documented = new Set(documentedRoutes());
    const missing = routes.filter((route) => !UNDOCUMENTED.has(route) && !documented.has(route));
    expect(missing).toEqual([]);
  });

  it('describes no route the server does not serve', () => {
    const served = new Set(routes);
    // The ingress is one wildcard route for every method; the document describes it as POST /webhooks/{uri}.
    const stale = documentedRoutes().filter((route) => !served.has(route) && route !== 'POST /webhooks/:param');
    expect(stale).toEqual([]);
  });

  it("states each route's access as the role table does", () => {
    const stated = Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { 'x-access'?: string }>)
        .filter(([, operation]) => operation['x-access'] !== undefined)
        .map(([method, operation]) => [`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, operation['x-access']]),
    );
    expect(stated.length).toBeGreaterThan(0);
    const tableAccess = (route: string) => ROUTE_ROLES[TABLE_NAMES[route] ?? route];
    const differing = stated.filter(([route, access]) => tableAccess(route!) !== access).map(([route, access]) => `${route}: document ${access}, table ${tableAccess(route!)}`);
    expect(differing).toEqual([]);
  });
});
