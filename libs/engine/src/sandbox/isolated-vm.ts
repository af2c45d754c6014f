import type IsolatedVM from './isolated-vm-api';

/**
 * isolated-vm is a native module, and no one release covers every Node.js line we run on: 5.0.4
 * builds from source for Node 20 (and 22), 6.x ships prebuilt binaries for Node 22 and 24. Both
 * are optional dependencies (`isolated-vm` and the alias `isolated-vm-6`), so `npm install`
 * succeeds whichever of them fails to build, and this loads the first that loads on this Node:
 * the one meant for its ABI first, then the other.
 */
export interface SandboxModule {
  /** The package the sandbox runs on, e.g. `isolated-vm@6.2.0`. */
  name: string;
  ivm: typeof IsolatedVM;
}

/** Neither build loads: the sandbox, and so the server, cannot run. */
export class SandboxModuleError extends Error {
  override readonly name = 'SandboxModuleError';
}

/** Node 22's ABI (NODE_MODULE_VERSION); from there on the 6.x binaries are the ones built for it. */
const NODE_22_ABI = 127;

interface Candidate {
  specifier: string;
  load: () => unknown;
  version: () => string;
}

/* eslint-disable @typescript-eslint/no-require-imports -- a native module is loaded by trying: an import cannot fail softly */
const CANDIDATES: Candidate[] = [
  { specifier: 'isolated-vm', load: () => require('isolated-vm'), version: () => (require('isolated-vm/package.json') as { version: string }).version },
  { specifier: 'isolated-vm-6', load: () => require('isolated-vm-6'), version: () => (require('isolated-vm-6/package.json') as { version: string }).version },
];
/* eslint-enable @typescript-eslint/no-require-imports */

export function loadSandboxModule(abi = Number(process.versions.modules)): SandboxModule {
  const order = abi >= NODE_22_ABI ? [...CANDIDATES].reverse() : CANDIDATES;
  const failures: string[] = [];
  for (const candidate of order) {
    try {
      const ivm = candidate.load() as typeof IsolatedVM;
      return { name: `isolated-vm@${candidate.version()}`, ivm };
    } catch (err) {
      failures.push(`${candidate.specifier}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
    }
  }
  throw new SandboxModuleError(`No build of isolated-vm loads on Node ${process.version}: run npm install with this Node version (${failures.join('; ')})`);
}

export const sandboxModule: SandboxModule = loadSandboxModule();

/** The module itself, and (as a namespace) its types: `ivm.Isolate`, `ivm.Reference<T>`. */
export const ivm: typeof IsolatedVM = sandboxModule.ivm;
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace ivm {
  type Isolate = IsolatedVM.Isolate;
  type Context = IsolatedVM.Context;
  type Script = IsolatedVM.Script;
  type Reference<T = unknown> = IsolatedVM.Reference<T>;
}
