import type { Response } from 'express';

/** Bytes a slow client may have queued before its stream is closed (it resumes with Last-Event-ID). */
const MAX_QUEUED_BYTES = 1024 * 1024;

/**
 * One Server-Sent Events response: `id:` + `data:` frames, a comment heartbeat so proxies keep
 * an idle stream open, and a bound on what a slow reader may queue: past it the stream ends with
 * a `polis.stream.overflow` event, and the client reconnects from its last id.
 */
export class SseConnection {
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;
  private readonly onClose: Array<() => void> = [];

  constructor(
    private readonly res: Response,
    heartbeatMs: number,
    retryMs = 2000,
  ) {
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('connection', 'keep-alive');
    // nginx buffers responses unless told not to; a buffered stream is no live stream.
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    res.write(`retry: ${retryMs}\n: polis event stream\n\n`);
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), heartbeatMs);
    this.heartbeat.unref();
    res.on('close', () => this.dispose());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Runs `hook` once the client is gone (or the stream was ended here). */
  whenClosed(hook: () => void): void {
    if (this.closed) hook();
    else this.onClose.push(hook);
  }

  /** Sends one event; `data` is a JSON document (one line). */
  send(id: string, data: string, event?: string): void {
    this.write(`${event === undefined ? '' : `event: ${event}\n`}id: ${id}\ndata: ${data}\n\n`);
  }

  /** Sends a control event without an id, so the client's resume point stays where it was. */
  notice(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    if (this.closed) return;
    this.res.end();
    this.dispose();
  }

  private write(frame: string): void {
    if (this.closed) return;
    if (this.res.writableLength > MAX_QUEUED_BYTES) {
      this.res.write(`event: polis.stream.overflow\ndata: ${JSON.stringify({ reason: 'the client reads too slowly; reconnect with Last-Event-ID to resume' })}\n\n`);
      this.end();
      return;
    }
    this.res.write(frame);
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const hook of this.onClose.splice(0)) hook();
  }
}
