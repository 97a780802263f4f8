import type { IncomingHttpHeaders } from 'node:http';

/** A name or address that only this machine answers to. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * Whether a request really comes from a page on this machine. A server on 127.0.0.1 can still be
 * reached by a web page whose DNS name was rebound to 127.0.0.1: the browser then sends that
 * page's name as Host (and its origin as Origin). Only loopback names in both mean "this machine".
 */
export function isLoopbackRequest(headers: IncomingHttpHeaders): boolean {
  const host = headers.host;
  if (typeof host !== 'string' || !isLoopback(hostnameOf(host))) return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  try {
    return isLoopback(new URL(origin).hostname.replace(/^\[(.*)\]$/, '$1'));
  } catch {
    // `Origin: null` (sandboxed frames, file: pages) is not this machine's page either.
    return false;
  }
}

/** `127.0.0.1:3000` → `127.0.0.1`; `[::1]:3000` → `::1`. */
function hostnameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\](:\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  return host.replace(/:\d+$/, '');
}
