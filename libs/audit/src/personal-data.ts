import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyVault } from './key-vault';

/**
 * Which event fields hold personal data (names, phone numbers), sealed under the patient's key.
 * The rest of an event (ids, times, outcomes) stays readable so metrics survive an erasure.
 */
const PERSONAL_FIELDS: Record<string, string[]> = {
  TreatmentCompleted: ['patient'],
  InquiryReceived: ['patient'],
  PersonalDetailsCorrected: ['patient'],
  ReferralRequested: ['referred'],
};

/** Whether a reader of this event (as opened) sees a name or phone number: the access log records who did. */
export function showsPersonalData(event: { type: string; data: Record<string, unknown> }): boolean {
  return (PERSONAL_FIELDS[event.type] ?? []).some((field) => {
    const value = event.data[field];
    return typeof value === 'object' && value !== null && !isSealed(value) && (value as { erased?: unknown }).erased !== true && !isUnreadable(value);
  });
}

/** The event as a reader sees it once the patient is erased: its personal fields replaced by the erased marker. */
export function withPersonalDataErased<E extends { type: string; data: Record<string, unknown> }>(event: E): E {
  const fields = (PERSONAL_FIELDS[event.type] ?? []).filter((f) => event.data[f] !== undefined);
  if (fields.length === 0) return event;
  return { ...event, data: { ...event.data, ...Object.fromEntries(fields.map((f) => [f, ERASED])) } };
}

/** What a sealed field looks like in a stored event. */
export interface SealedValue {
  $sealed: string;
}

/** What a reader sees after the key was destroyed. */
export const ERASED = { erased: true } as const;

/**
 * What a reader sees when sealed data cannot be opened although nobody erased it: a tampered byte,
 * or a `keys.sqlite` restored from a backup older than the patient. The facts around it stay
 * readable, so nothing stops for it; the operator learns of it from /health.
 */
export const UNREADABLE = { unavailable: true, reason: 'the sealed personal data cannot be opened' } as const;

export function isUnreadable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { unavailable?: unknown }).unavailable === true;
}

export class PersonalDataSealer {
  constructor(private readonly vault: KeyVault) {}

  async seal(type: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const fields = PERSONAL_FIELDS[type]?.filter((f) => data[f] !== undefined && !isSealed(data[f]));
    if (!fields?.length) return data;
    const patientId = String(data.patientId);
    const key = await this.vault.keyFor(patientId);
    if (!key) {
      // Erased patients get no new personal data: it is dropped, not stored in the clear.
      return { ...data, ...Object.fromEntries(fields.map((f) => [f, ERASED])) };
    }
    const sealed = { ...data };
    for (const field of fields) sealed[field] = encrypt(key, patientId, data[field]);
    return sealed;
  }

  async unseal(type: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const fields = PERSONAL_FIELDS[type]?.filter((f) => isSealed(data[f]));
    if (!fields?.length) return data;
    const patientId = String(data.patientId);
    const key = await this.vault.existingKey(patientId);
    // No key: erased, or (not destroyed) a key file older than the patient.
    const missing = key ? undefined : (await this.vault.isDestroyed(patientId)) ? ERASED : UNREADABLE;
    const open = { ...data };
    for (const field of fields) open[field] = key ? openOrUnreadable(key, patientId, data[field] as SealedValue) : missing;
    return open;
  }
}

function openOrUnreadable(key: Buffer, patientId: string, sealed: SealedValue): unknown {
  try {
    return decrypt(key, patientId, sealed);
  } catch {
    return UNREADABLE; // the authentication tag does not match: changed since it was sealed
  }
}

export function isSealed(value: unknown): value is SealedValue {
  return typeof value === 'object' && value !== null && typeof (value as SealedValue).$sealed === 'string';
}

// AES-256-GCM; the patient id is the associated data, so a sealed value cannot be moved to another patient.
function encrypt(key: Buffer, patientId: string, value: unknown): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(patientId));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { $sealed: `v1:${iv.toString('base64')}:${body.toString('base64')}:${cipher.getAuthTag().toString('base64')}` };
}

function decrypt(key: Buffer, patientId: string, sealed: SealedValue): unknown {
  const [version, iv, body, tag] = sealed.$sealed.split(':');
  if (version !== 'v1' || !iv || body === undefined || !tag) throw new Error('unknown sealed value format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(patientId));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8'));
}
