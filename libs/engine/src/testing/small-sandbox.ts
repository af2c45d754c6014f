import { ScriptSandbox } from '../sandbox/script-sandbox';

/**
 * One small sandbox for a spec file: created before its tests, disposed after them. Call at the
 * top of the file and read the sandbox through the returned function inside tests.
 */
export function useSmallSandbox(): () => ScriptSandbox {
  let sandbox: ScriptSandbox | undefined;
  beforeAll(() => {
    sandbox = new ScriptSandbox({ functionPoolSize: 1, matchPoolSize: 1, memoryLimitMb: 32 });
  });
  afterAll(async () => {
    await sandbox?.dispose();
  });
  return () => {
    if (!sandbox) throw new Error('useSmallSandbox(): the sandbox is there only inside tests');
    return sandbox;
  };
}
