/**
 * Collects a client read to its end before anything is done with it. Leaving a client read early
 * (a `return`, `break` or exception inside `for await`) leaves its gRPC call open, which then
 * holds up `client.dispose()`: every read of this adapter goes through here.
 */
export async function readToEnd<T>(read: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of read) out.push(item);
  return out;
}
