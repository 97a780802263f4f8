import type { Decider } from '../decider';
import { DomainRefusal } from '../decider';
import type { PatientEvent } from '../events';
import { bookAppointment } from './book-appointment';
import { completeTreatment } from './complete-treatment';
import { correctRecord } from './correct-record';
import { correctPersonalDetails, erasePersonalData } from './erase-personal-data';
import { attendAppointment, missAppointment } from './missed-appointment';
import type { PatientContext } from './patient-context';
import type { PatientCommand } from './patient.commands';
import { evolvePatient, initialPatientState, PatientState } from './patient.state';
import { changeContactPreferences, setContactPreferences } from './preferences';
import { requireExistingPatient } from './preconditions';
import { receiveInquiry } from './prospect';
import { raiseObjection, requestReferral } from './objection-referral';
import { idSequence } from './follow-up-scheduled';
import { recordCall } from './record-call';
import { expireFollowUp } from './expire-follow-up';
import { addFollowUp, cancelFollowUp, claimFollowUp, moveFollowUp } from './steer-follow-ups';

export type { PatientContext } from './patient-context';

/** The patient's relationship with the clinic: one command in, the events it records out. */
export function decidePatient(command: PatientCommand, state: PatientState, context: PatientContext): PatientEvent[] {
  switch (command.type) {
    case 'CompleteTreatment':
      return completeTreatment(command, state, context);
    case 'RecordCall':
      return recordCall(command, state, context);
    case 'RaiseObjection':
      return raiseObjection(command, state, context);
    case 'RequestReferral':
      return requestReferral(command, state);
    case 'BookAppointment':
      return bookAppointment(command, state, context);
    case 'MissAppointment':
      return missAppointment(command, state, context);
    case 'AttendAppointment':
      return attendAppointment(command, state, context);
    case 'ReceiveInquiry':
      return receiveInquiry(command, state, context);
    case 'SetContactPreferences':
      return setContactPreferences(command, state, context);
    case 'ChangeContactPreferences':
      return changeContactPreferences(command, state, context);
    case 'ExpireFollowUp':
      return expireFollowUp(command, state, context);
    case 'AddFollowUp':
      return addFollowUp(command, state, context);
    case 'MoveFollowUp':
      return moveFollowUp(command, state, context);
    case 'CancelFollowUp':
      return cancelFollowUp(command, state);
    case 'CorrectRecord':
      return correctRecord(command, state, context);
    case 'ClaimFollowUp':
      return claimFollowUp(command, state, context);
    case 'CorrectPersonalDetails':
      return correctPersonalDetails(command, state);
    case 'ErasePersonalData':
      return erasePersonalData(command, state);
  }
}

export const patientDecider: Decider<PatientCommand, PatientEvent, PatientState, PatientContext> = {
  decide: decidePatient,
  evolve: evolvePatient,
  initialState: initialPatientState,
};
