import { canActFor, Principal, SELF_RECORDING } from '@rapport/access';
import { currentRecord, DomainRefusal, patientStream, RecordCorrected } from '@rapport/domain';
import type { RecordedEvent } from '@rapport/event-store';
import type { CommandContext, CommandResult } from './command-context';
import type { CommandPorts } from './command-ports';
import { NotPermittedError } from './errors';
import { result } from './recording';

export interface CorrectionInput {
  eventId: string;
  reason: string;
  /** Found from the event id (through the read side) when left out. */
  patientId?: string;
  /** Only the fields to correct. */
  changes: Record<string, unknown>;
}

export interface CorrectionView {
  correctionId: string;
  /** The correction's own event. */
  eventId: string;
  type: RecordCorrected['type'];
  correctsEventId: string;
  patientId: string;
  corrected: Record<string, unknown>;
  previous: Record<string, unknown>;
}

/**
 * A correction is appended to the patient's stream beside the fact it corrects; nothing is
 * changed. Who may: a caller or doctor corrects only what they recorded (or the calls they made);
 * managers and admins any record of their clinics. What may change is the decider's rule.
 */
export function correctRecord(ports: CommandPorts, input: CorrectionInput, principal: Principal, context: CommandContext): Promise<CommandResult<CorrectionView>> {
  return ports.requests.run(context, async () => {
    const patientId = input.patientId ?? (await ports.patientOfEvent(input.eventId));
    if (!patientId) throw new DomainRefusal('unknown_event', `no recorded fact has event id ${input.eventId} (or it is not projected yet): pass patientId`, 'not_found');
    const history = await ports.store.readStream(patientStream(patientId));
    // A patient's clinic is the one of their first event; it never changes.
    const clinicId = history[0]?.data.clinicId;
    if (typeof clinicId === 'string' && !canActFor(principal, clinicId)) throw new NotPermittedError(`this token does not cover clinic ${clinicId}`);
    const original = history.find((e) => e.eventId === input.eventId);
    if (original) requireMayCorrect(principal, original);
    const target = currentRecord(history, input.eventId);
    const data = { patientId, eventId: input.eventId, reason: input.reason, changes: input.changes, ...(target ? { target } : {}) };
    const outcome = await ports.runner.patient(patientId, undefined, { type: 'CorrectRecord', data }, context);
    const recorded = outcome.events[0]!;
    const d = recorded.data as unknown as RecordCorrected['data'];
    const view = { correctionId: d.correctionId, eventId: recorded.eventId, type: recorded.type as RecordCorrected['type'], correctsEventId: d.correctsEventId, patientId, corrected: d.corrected, previous: d.previous };
    return result(outcome, view);
  });
}

function requireMayCorrect(principal: Principal, original: RecordedEvent): void {
  if (!SELF_RECORDING.includes(principal.role)) return;
  const actor = (original.metadata.actor as { userId?: unknown } | undefined)?.userId;
  if (actor === principal.userId || original.data.callerId === principal.userId) return;
  throw new NotPermittedError(`a ${principal.role} corrects only what they recorded; event ${original.eventId} was recorded by someone else`);
}
