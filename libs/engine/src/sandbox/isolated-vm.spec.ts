import { loadSandboxModule, sandboxModule } from './isolated-vm';

describe('the isolated-vm build the sandbox runs on', () => {
  const abi = Number(process.versions.modules);

  it('is the one made for this Node line: 5.x on Node 20, 6.x from Node 22 on', () => {
    expect(sandboxModule.name).toMatch(abi >= 127 ? /^isolated-vm@6\./ : /^isolated-vm@5\./);
  });

  it('runs a script', () => {
    const isolate = new sandboxModule.ivm.Isolate({ memoryLimit: 16 });
    try {
      expect(isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync())).toBe(42);
    } finally {
      isolate.dispose();
    }
  });

  it('falls back to the other build when the preferred one does not load here', () => {
    // Asking as another Node line would puts the other build first; one that loads is still found.
    const other = loadSandboxModule(abi >= 127 ? 115 : 137);
    expect(other.name).toMatch(/^isolated-vm@[56]\./);
    const isolate = new other.ivm.Isolate({ memoryLimit: 16 });
    try {
      expect(isolate.compileScriptSync('"ok"').runSync(isolate.createContextSync())).toBe('ok');
    } finally {
      isolate.dispose();
    }
  });
});
