import { createHash } from 'node:crypto';
import { canonicalJson } from '@rapport/domain';

/**
 * Tamper evidence: every event's metadata carries `chain: { prev, hash }`, where `hash` covers the
 * event's stream, revision, type, data and metadata (without `chain`) and the previous event's
 * hash. Changing, removing or reordering a stored event breaks the chain at that event.
 * Personal data is sealed before hashing, so destroying a patient's key keeps the chain intact.
 */
export interface ChainLink {
  prev: string | null;
  hash: string;
}

export interface ChainedEventFields {
  stream: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

export function chainHash(prev: string | null, event: ChainedEventFields): string {
  const { chain: _ignored, ...metadata } = event.metadata;
  const body = canonicalJson({ prev, stream: event.stream, revision: event.revision, type: event.type, data: event.data, metadata });
  return createHash('sha256').update(body).digest('hex');
}

export function chainOf(metadata: Record<string, unknown>): ChainLink | undefined {
  const chain = metadata.chain as ChainLink | undefined;
  return chain && typeof chain.hash === 'string' ? chain : undefined;
}

