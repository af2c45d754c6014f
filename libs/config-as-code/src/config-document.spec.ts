import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileError, loadConfigFile, readConfigDocument } from './config-document';

const read = (text: string, env: NodeJS.ProcessEnv = {}) => readConfigDocument(text, { baseDir: '/', env });

describe('readConfigDocument', () => {
  it('replaces ${env:NAME} in values but not in scripts, and $${env:NAME} stands for the text', () => {
    const document = read(
      ['version: 1', 'providers:', '  - name: P', '    matchScript: "return `${env:NOT_A_REFERENCE}`"', '    description: "key ${env:KEY}, literal $${env:KEY}"'].join('\n'),
      { KEY: 'k1' },
    );
    expect(document.providers).toEqual([{ name: 'P', matchScript: 'return `${env:NOT_A_REFERENCE}`', description: 'key k1, literal ${env:KEY}' }]);
  });

  it('names every missing variable and where it is', () => {
    expect(() => read('version: 1\ngitProviders:\n  - name: g\n    token: ${env:A}\n  - name: h\n    token: ${env:B}\n')).toThrow(
      new ConfigFileError('environment variables not set: A (at gitProviders[0].token), B (at gitProviders[1].token); set them before importing'),
    );
  });

  it('refuses a wrong version, an unknown section, an entry without a name and a name used twice', () => {
    expect(() => read('version: 2')).toThrow('version: must be 1 (found 2)');
    expect(() => read('version: 1\nwebhooks: []')).toThrow('webhooks: is not a section; the sections are gitProviders, automations, providers, functions, endpoints');
    expect(() => read('version: 1\nautomations:\n  - target: {}')).toThrow('automations[0].name: is required');
    expect(() => read('version: 1\nfunctions:\n  - { name: f, provider: P }\n  - { name: f, provider: P }')).toThrow(
      'functions[1]: a second entry named "P / f"; names must be unique per provider',
    );
    expect(() => read('version: 1\nproviders: [')).toThrow(/^is not valid YAML/);
  });

  it('reads scripts kept in files beside a directory\'s hookline.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-config-'));
    writeFileSync(join(dir, 'match.js'), 'return true;\n');
    writeFileSync(join(dir, 'hookline.yaml'), 'version: 1\nproviders:\n  - name: P\n    matchScript: { file: match.js }\n  - name: Q\n    matchScript: { file: gone.js }\n');
    expect(() => loadConfigFile(dir)).toThrow(`${join(dir, 'hookline.yaml')}: providers[1].matchScript: the script file gone.js cannot be read (ENOENT)`);
    writeFileSync(join(dir, 'hookline.yaml'), 'version: 1\nproviders:\n  - name: P\n    matchScript: { file: match.js }\n');
    expect(loadConfigFile(dir).providers).toEqual([{ name: 'P', matchScript: 'return true;\n' }]);
  });
});
