import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMasterKey, SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, with a fresh nonce each time', () => {
    const a = box.seal('whsec_abc');
    const b = box.seal('whsec_abc');
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe('whsec_abc');
    expect(a).not.toContain('whsec_abc');
  });

  it('refuses a tampered value and one sealed under another key', () => {
    const sealed = box.seal('secret');
    const parts = sealed.split(':');
    const data = Buffer.from(parts[3], 'base64url');
    data[0] ^= 1;
    expect(() => box.open([...parts.slice(0, 3), data.toString('base64url')].join(':'))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it('generates an owner-only key file once and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-key-'));
    const first = loadMasterKey(undefined, dir);
    expect(loadMasterKey(undefined, dir)).toEqual(first);
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(join(dir, 'master.key'), 'utf8').trim(), 'base64')).toEqual(first);
  });
});
