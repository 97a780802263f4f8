import type { KeyVault } from '@rapport/audit';
import type { EventStore } from '@rapport/event-store';
import type { Clock } from '../clock';
import { CommandRunner } from './command-runner';
import { IdempotentRequests, MemoryResponseStore, ResponseStore } from './responses';

/** What the application's command functions work with; the API, the demo and the bench each wire their own. */
export interface CommandPorts {
  runner: CommandRunner;
  requests: IdempotentRequests;
  /** The log, for a patient's history as recorded (corrections, a repeated treatment's follow-ups). */
  store: EventStore;
  clock: Clock;
  /** Destroys a patient's key (crypto-shredding). */
  vault: Pick<KeyVault, 'destroy'>;
  /** The patient whose recorded fact has this event id, when the read side knows it. */
  patientOfEvent(eventId: string): Promise<string | undefined>;
  /** After an erasure is recorded: the read models drop the names and push them off the disk. */
  afterErasure(position: number): Promise<void>;
}

export const COMMAND_PORTS = Symbol('CommandPorts');

/** The ports with defaults for what the demo and the bench do not use (no erasure, no lookup by event id). */
export function commandPorts(parts: Pick<CommandPorts, 'store' | 'clock'> & Partial<Omit<CommandPorts, 'runner' | 'requests'>> & { responses?: ResponseStore }): CommandPorts {
  const runner = new CommandRunner(parts.store, parts.clock);
  return {
    runner,
    requests: new IdempotentRequests(parts.responses ?? new MemoryResponseStore(), runner),
    store: parts.store,
    clock: parts.clock,
    vault: parts.vault ?? { destroy: () => Promise.reject(new Error('erasure needs the key vault, which these ports were not given')) },
    patientOfEvent: parts.patientOfEvent ?? (async () => undefined),
    afterErasure: parts.afterErasure ?? (async () => undefined),
  };
}
