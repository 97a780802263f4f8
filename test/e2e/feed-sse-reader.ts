/** One message of an SSE stream, as a client parses it. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/**
 * A minimal Server-Sent Events client over fetch, for the feed tests: it parses the stream as the
 * EventSource spec says (fields per line, a blank line ends a message, `:` starts a comment) and
 * can be cut off at any moment like a client losing its connection.
 */
export class SseReader {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  ended = false;
  private buffer = '';

  private constructor(
    readonly status: number,
    readonly contentType: string | null,
    private readonly abort: AbortController,
    body: ReadableStream<Uint8Array> | null,
  ) {
    if (body) void this.pump(body);
    else this.ended = true;
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    return new SseReader(response.status, response.headers.get('content-type'), abort, response.body);
  }

  /** The client goes away mid-stream. */
  disconnect(): void {
    this.abort.abort();
  }

  get lastEventId(): string | undefined {
    return this.messages.at(-1)?.id;
  }

  async waitFor(condition: (reader: SseReader) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this)) {
      if (Date.now() > deadline) throw new Error(`SSE: timed out after ${timeoutMs} ms waiting for ${what} (${this.messages.length} messages)`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        this.parse();
      }
    } catch {
      // aborted by disconnect(), or the server went away
    } finally {
      this.ended = true;
    }
  }

  private parse(): void {
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const message: SseMessage = { data: '' };
      let hasData = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments.push(line.slice(1).trim());
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') message.id = value;
        else if (field === 'event') message.event = value;
        else if (field === 'data') {
          message.data = hasData ? `${message.data}\n${value}` : value;
          hasData = true;
        }
      }
      if (hasData) this.messages.push(message);
    }
  }
}
