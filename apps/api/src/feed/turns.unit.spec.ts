import { createServer, connect, type Server, type Socket } from 'node:net';
import { Turns } from './turns';

describe('Turns', () => {
  let server: Server;
  let client: Socket;
  const received: string[] = [];
  beforeEach(async () => {
    received.length = 0;
    server = createServer((socket) => socket.on('data', (chunk) => received.push(`io:${String(chunk)}`)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    client = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  });
  afterEach(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives each turn a turn of the event loop of its own, in the order asked: I/O that arrives meanwhile is handled between two', async () => {
    const turns = new Turns();
    const taken = ['a', 'b', 'c'].map((name) =>
      turns.next().then(() => {
        received.push(name);
        // A request arriving while this turn's page is worked out (loopback: it is there at once).
        client.write(name);
      }),
    );
    await Promise.all(taken);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual(['a', 'io:a', 'b', 'io:b', 'c', 'io:c']);
  });

  it('serves whoever asks after a quiet spell at once, and many waiting in the order they asked', async () => {
    const turns = new Turns();
    await turns.next();
    const order: number[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, i) => turns.next().then(() => order.push(i))));
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
