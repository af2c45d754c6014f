// The benchmark's request bodies: GitHub's own sample of a `push` delivery (from
// @octokit/webhooks-examples, 7,678 bytes as compact JSON), and the same push grown to a given
// size by repeating its commit, for the payload-size series. Deterministic: every run sends the
// same bytes, so one X-Hub-Signature-256 per body serves every request (the delivery id that
// changes per request is a header, outside the signed bytes).
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples');

/** The sample closest to a typical push: one commit to a branch (refs/heads/master). */
export function githubPushPayload() {
  const push = examples.find((e) => e.name === 'push');
  const sample = push?.examples.find((e) => e.ref === 'refs/heads/master' && e.commits.length === 1);
  if (!sample) throw new Error('@octokit/webhooks-examples has no push to a branch with one commit; check its version');
  return structuredClone(sample);
}

export const PUSH_REF = 'refs/heads/master';
export const payloadBody = JSON.stringify(githubPushPayload());

/**
 * The push as exactly `bytes` bytes of JSON (at least the sample's size): its commit repeated with
 * distinct ids, then a padding string to land on the byte.
 */
export function sizedPushBody(bytes) {
  const push = githubPushPayload();
  const base = Buffer.byteLength(JSON.stringify(push));
  if (bytes < base) {
    // Smaller than the sample: keep the fields a function reads (ref, commits) and pad.
    const small = { ref: push.ref, before: push.before, after: push.after, commits: [], padding: '' };
    const overhead = Buffer.byteLength(JSON.stringify(small));
    if (bytes < overhead) throw new Error(`a push body cannot be smaller than ${overhead} bytes`);
    small.padding = 'x'.repeat(bytes - overhead);
    return JSON.stringify(small);
  }
  const commit = push.commits[0];
  const commitBytes = Buffer.byteLength(JSON.stringify(commit)) + 1;
  const extra = Math.max(0, Math.floor((bytes - base - 64) / commitBytes));
  for (let i = 1; i <= extra; i++) push.commits.push({ ...commit, id: `${commit.id.slice(0, 32)}${String(i).padStart(8, '0')}` });
  push.padding = '';
  const overhead = Buffer.byteLength(JSON.stringify(push));
  if (overhead > bytes) throw new Error(`could not build a ${bytes}-byte push body`);
  push.padding = 'x'.repeat(bytes - overhead);
  return JSON.stringify(push);
}

/** GitHub's X-Hub-Signature-256 over the exact body bytes. */
export function signGithub(body, secret) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
