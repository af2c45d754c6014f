#!/usr/bin/env node
// A Hookline runner in plain Node (20 or later; no dependencies). It claims a task, parks it until
// a pull request of the task's repository is merged, polls until the task comes back resumed,
// reads the event that resumed it, and completes the task. See docs/runners.md.
//
//   HOOKLINE_URL=http://127.0.0.1:8080 HOOKLINE_RUNNER_TOKEN=hlr_... node examples/runner.mjs
//
// HOOKLINE_POLL_MS (default 2000) is the pause between claims when nothing waits;
// HOOKLINE_PARK_SECONDS (default 86400) how long a task may stay parked before it fails.
/* global process, fetch, console, setTimeout */

const base = (process.env.HOOKLINE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const token = process.env.HOOKLINE_RUNNER_TOKEN;
const pollMs = Number(process.env.HOOKLINE_POLL_MS ?? 2000);
const parkSeconds = Number(process.env.HOOKLINE_PARK_SECONDS ?? 86400);
if (!token) {
  console.error('Set HOOKLINE_RUNNER_TOKEN to a runner token (POST /api/runners answers one).');
  process.exit(2);
}

/** Calls the runner API; answers the parsed JSON body, or null for 204. */
async function api(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The repository a task is about: from its payload (a delivery's repository.full_name, or a run's vars), else its params. */
async function repositoryOf(task) {
  const payload = await api('GET', `/api/tasks/${task.id}/payload`);
  const repository = payload?.repository?.full_name ?? payload?.repository ?? task.params?.repository;
  if (typeof repository !== 'string') throw new Error(`task ${task.id} names no repository in its payload or params`);
  return repository;
}

let parkedId = null;
for (;;) {
  const task = await api('POST', '/api/tasks/claim');
  if (!task) {
    await sleep(pollMs);
    continue;
  }
  if (!task.resumedBy) {
    // A fresh task: wait for its pull request to be merged. Parking ends our claim; the task
    // comes back through claim once an event resumes it.
    const repository = await repositoryOf(task);
    await api('POST', `/api/tasks/${task.id}/park`, {
      waitFor: [{ key: 'pull_request:merged', repository }],
      timeoutSeconds: parkSeconds,
      onTimeout: 'fail',
    });
    parkedId ??= task.id;
    console.log(`parked task ${task.id} (${task.name}) until a pull request of ${repository} is merged`);
    continue;
  }
  const { event, operator, timeout } = task.resumedBy;
  const notes = task.inbox.map((m) => `${m.by}: ${m.text}`);
  const output = event
    ? { merged: event.pullRequest?.number ?? null, sha: event.sha ?? null, url: event.url ?? null, notes }
    : { resumedBy: operator ? `operator ${operator}` : timeout ? 'timeout' : 'unknown', notes };
  await api('POST', `/api/tasks/${task.id}/complete`, { status: 'succeeded', output });
  console.log(`completed task ${task.id}: ${JSON.stringify(output)}`);
  if (task.id === parkedId) break;
}
