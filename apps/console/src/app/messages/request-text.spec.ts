import { execFileSync } from 'node:child_process';
import { curlCommand, hexDump, prettyJson, queryString } from './request-text';

describe('request text', () => {
  const request = {
    method: 'POST',
    path: '/webhooks/git/push',
    query: { ref: 'main', tag: ['a', 'b c'] },
    headers: { host: 'example.test', 'content-length': '14', 'content-type': 'application/json', 'x-note': "it's" },
    body: `{"a":"it's $HOME"}`,
    bodySize: 18,
  };

  it('writes a curl command whose arguments the shell reads back exactly', () => {
    const command = curlCommand('http://127.0.0.1:8080', request);
    // The shell parses the command; printf shows each argument it would hand to curl.
    const args = execFileSync('sh', ['-c', command.replace(/^curl/, 'printf "%s\\n"')], { encoding: 'utf8' }).trimEnd().split('\n');
    expect(args).toEqual([
      '-X',
      'POST',
      'http://127.0.0.1:8080/webhooks/git/push?ref=main&tag=a&tag=b+c',
      '-H',
      'content-type: application/json',
      '-H',
      "x-note: it's",
      '--data-binary',
      `{"a":"it's $HOME"}`,
    ]);
  });

  it('points a binary body at a file and leaves an empty body out', () => {
    expect(curlCommand('http://h', { ...request, body: null })).toContain('--data-binary @body.bin');
    expect(curlCommand('http://h', { ...request, body: '', bodySize: 0 })).not.toContain('--data-binary');
  });

  it('dumps bytes as offset, hex and printable text', () => {
    const dump = hexDump(new Uint8Array([0x48, 0x69, 0x00, 0xff, ...new Array<number>(14).fill(0x41)]));
    expect(dump.split('\n')).toEqual([
      '00000000  48 69 00 ff 41 41 41 41 41 41 41 41 41 41 41 41  Hi..AAAAAAAAAAAA',
      '00000010  41 41                                            AA',
    ]);
  });

  it('indents JSON and says when a body is not JSON', () => {
    expect(prettyJson('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson('a=1')).toBeUndefined();
    expect(prettyJson(null)).toBeUndefined();
    expect(queryString({})).toBe('');
  });
});
