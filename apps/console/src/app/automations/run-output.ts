/** A run's output split into what the history shows: the streams of a command, the rest as JSON. */
export interface ShownOutput {
  stdout: string | null;
  stderr: string | null;
  /** Everything else the output holds (exit code, http status and answer, task id), or null. */
  details: string | null;
  /** Said when a stream was cut at the output cap. */
  notes: string[];
}

const STREAMS = ['stdout', 'stderr', 'stdoutTruncated', 'stderrTruncated', 'outputCapBytes'];

export function shownOutput(output: Record<string, unknown> | null): ShownOutput {
  if (!output) return { stdout: null, stderr: null, details: null, notes: [] };
  const rest = Object.fromEntries(Object.entries(output).filter(([key]) => !STREAMS.includes(key)));
  const notes: string[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    if (output[`${stream}Truncated`] === true) notes.push(`${stream} was cut at ${String(output['outputCapBytes'] ?? 'the cap of')} bytes`);
  }
  return {
    stdout: typeof output['stdout'] === 'string' ? output['stdout'] : null,
    stderr: typeof output['stderr'] === 'string' ? output['stderr'] : null,
    details: Object.keys(rest).length ? JSON.stringify(rest, null, 2) : null,
    notes,
  };
}
