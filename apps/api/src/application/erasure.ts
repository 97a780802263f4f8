import { DomainRefusal } from '@rapport/domain';
import type { CommandContext, CommandResult } from './command-context';
import type { CommandPorts } from './command-ports';
import { result } from './recording';

export interface ErasureView {
  patientId: string;
  erased: true;
  /** False when the patient was erased before: nothing new was recorded. */
  recorded: boolean;
}

/**
 * Crypto-shredding: the patient's key is destroyed first, then PersonalDataErased is recorded,
 * then the read models drop the names. In that order a failure in between leaves the data
 * unreadable (and asking again records the event); the other order could leave an erasure on
 * record with the names still readable.
 */
export function erasePersonalData(ports: CommandPorts, input: { patientId: string; reason: string }, context: CommandContext): Promise<CommandResult<ErasureView>> {
  return ports.requests.run(context, async () => {
    const { state } = await ports.runner.loadPatient(input.patientId);
    if (!state.exists) throw new DomainRefusal('unknown_patient', `patient ${input.patientId} has no record yet`, 'not_found');
    await ports.vault.destroy(input.patientId, ports.clock.now().toString());
    const outcome = await ports.runner.patient(input.patientId, undefined, { type: 'ErasePersonalData', data: input }, context);
    await ports.afterErasure(outcome.position);
    return result(outcome, { patientId: input.patientId, erased: true as const, recorded: outcome.events.length > 0 });
  });
}
