import type { Readable } from 'node:stream';

/**
 * Collects a stream's first `capBytes` bytes and keeps draining the rest, so a chatty command
 * never blocks on a full pipe and never grows memory past the cap.
 */
export class OutputCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  truncated = false;

  constructor(private readonly capBytes: number) {}

  attach(stream: Readable | null): void {
    stream?.on('data', (chunk: Buffer) => this.push(chunk));
    // A read error after the process is gone loses nothing we could still report.
    stream?.on('error', () => undefined);
  }

  push(chunk: Buffer): void {
    const room = this.capBytes - this.kept;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.kept += part.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
