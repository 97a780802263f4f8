/**
 * The shape of every event type's data, checked before an event is appended: a malformed event is a
 * bug in our code, and it must never reach a log that cannot be rewritten. Plain data, no library:
 * the domain imports nothing, and the shapes are simple.
 */
import { ATTRIBUTION_RULES, CALL_OUTCOMES, INQUIRY_CHANNELS, OBJECTION_KINDS, OBJECTION_METHODS, STAFF_ROLES, type RapportEventType } from '../events';

type Field =
  | 'id'
  | 'text'
  | 'instant'
  | 'int'
  | 'number'
  | 'bool'
  | 'json'
  | { enum: readonly string[] }
  | { object: Shape }
  | { array: Field };

/** Field name → its type; a `?` after the name makes it optional. */
type Shape = Record<string, Field>;

// Client ids, server-made ids (`p1.call3`), event ids (UUIDs) and clinic-defined codes.
const ID = /^[A-Za-z0-9_.:*-]{1,200}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const personal: Field = { object: { 'name?': 'text', 'phone?': 'text' } };
const origin: Field = { object: { protocolVersion: 'int', ruleId: 'id', stepId: 'id' } };
const specialDate: Field = { object: { kind: 'text', date: 'text' } };
const ids = { patientId: 'id', clinicId: 'id' } as const satisfies Shape;
const scheduled = {
  ...ids,
  followUpId: 'id',
  'kind?': { enum: ['treatment', 'missed_appointment', 'prospect', 'escalation', 'doctor_callback', 'greeting', 'added'] },
  'treatmentId?': 'id',
  'assignee?': { object: { role: { enum: ['doctor', 'senior_doctor'] }, 'doctorId?': 'id' } },
  purpose: 'text',
  dueAt: 'instant',
  urgent: 'bool',
  'movedFromClosedDay?': 'bool',
  'deadlineAt?': 'instant',
  origin,
  'follows?': 'id',
  'callNumber?': 'int',
  'inquiryId?': 'id',
  'appointmentId?': 'id',
  'callId?': 'id',
  'specialDate?': specialDate,
} as const satisfies Shape;
const preferences = {
  ...ids,
  'preferredTimes?': { array: 'text' },
  'avoidWorkHours?': 'bool',
  'doNotCall?': 'bool',
  'specialDates?': { array: specialDate },
  'vip?': 'bool',
} as const satisfies Shape;
const correction = { ...ids, correctionId: 'id', correctsEventId: 'id', reason: 'text', corrected: 'json', previous: 'json' } as const satisfies Shape;

export const EVENT_SHAPES: Record<RapportEventType, Shape> = {
  StaffMemberRegistered: { clinicId: 'id', staffId: 'id', name: 'text', role: { enum: STAFF_ROLES }, active: 'bool' },
  StaffMemberChanged: { clinicId: 'id', staffId: 'id', name: 'text', role: { enum: STAFF_ROLES }, active: 'bool' },
  ClinicConfigured: { clinicId: 'id', 'name?': 'text', timeZone: 'text', callWindows: { array: 'text' }, maxAttempts: 'int', protocol: 'json', 'prospectMaxAttempts?': 'int',
    'seniorDoctorIds?': { array: 'id' },
    'workHours?': { object: { days: { array: 'int' }, from: 'text', to: 'text' } },
    'inquiryFirstCallMinutes?': { object: { phone: 'int', web: 'int', wechat: 'int' } },
    'windowsByWeekday?': 'json',
    'closedWeekdays?': { array: 'int' },
    'closedDates?': { array: 'text' },
    'urgentRules?': 'json',
  },
  TreatmentCompleted: {
    ...ids,
    treatmentId: 'id',
    doctorId: 'id',
    procedure: 'id',
    completedAt: 'instant',
    'patient?': personal,
    'restored?': 'bool',
    'needsProsthesis?': 'bool',
  },
  FollowUpScheduled: scheduled,
  FollowUpAdded: {
    ...ids,
    followUpId: 'id',
    'kind?': { enum: ['added'] },
    'assignee?': { object: { role: { enum: ['doctor'] }, 'doctorId?': 'id' } },
    purpose: 'text',
    dueAt: 'instant',
    urgent: 'bool',
    origin,
    'callId?': 'id',
    'follows?': 'id',
    'note?': 'text',
  },
  FollowUpMoved: { ...ids, followUpId: 'id', dueAt: 'instant', reason: 'text' },
  FollowUpCancelled: { ...ids, followUpId: 'id', reason: 'text' },
  CallAttempted: {
    ...ids,
    callId: 'id',
    callerId: 'id',
    'followUpId?': 'id',
    startedAt: 'instant',
    outcome: { enum: CALL_OUTCOMES },
    'durationSeconds?': 'number',
    'notes?': 'text',
    'satisfaction?': 'int',
    'symptoms?': 'text',
    'callBackAt?': 'instant',
    'lateEntryReason?': 'text',
    'complaint?': 'bool',
    'dissatisfied?': 'bool',
    'nextContact?': { object: { at: 'instant', purpose: 'text' } },
  },
  FollowUpRescheduled: { ...ids, followUpId: 'id', dueAt: 'instant', reason: { enum: ['retry', 'call_back_later'] }, attempts: 'int', callId: 'id' },
  FollowUpClosed: {
    ...ids,
    followUpId: 'id',
    reason: { enum: ['completed', 'unreachable', 'declined', 'wrong_number', 'booked', 'visited', 'persuasion_stopped', 'withdrawn', 'escalated', 'expired'] },
    attempts: 'int',
    'callId?': 'id',
    'appointmentId?': 'id',
    'treatmentId?': 'id',
  },
  ObjectionRaised: {
    ...ids,
    objectionId: 'id',
    callerId: 'id',
    'callId?': 'id',
    kind: { enum: OBJECTION_KINDS },
    topic: 'text',
    method: { enum: OBJECTION_METHODS },
    resolved: 'bool',
    'answerable?': 'bool',
    'note?': 'text',
  },
  ReferralRequested: { ...ids, referralId: 'id', callerId: 'id', 'referred?': { object: { 'name?': 'text', 'phone?': 'text', 'relation?': 'text' } }, 'note?': 'text' },
  AppointmentBooked: {
    ...ids,
    appointmentId: 'id',
    scheduledFor: 'instant',
    'callerId?': 'id',
    'followUpId?': 'id',
    'referralId?': 'id',
    'referrerPatientId?': 'id',
    'attributedCallId?': 'id',
    'attribution?': { enum: ATTRIBUTION_RULES },
    'doctorId?': 'id',
    'note?': 'text',
  },
  AppointmentMissed: { ...ids, appointmentId: 'id', at: 'instant' },
  AppointmentAttended: { ...ids, appointmentId: 'id', at: 'instant' },
  InquiryReceived: { ...ids, inquiryId: 'id', receivedAt: 'instant', 'channel?': { enum: INQUIRY_CHANNELS }, 'convenientAt?': 'instant', 'concern?': 'text', 'patient?': personal },
  ContactPreferencesSet: preferences,
  // The set as it now stands, and the fields the PATCH sent.
  ContactPreferencesChanged: { ...preferences, changed: 'json' },
  ProspectPersuasionStopped: { ...ids, consecutiveRefusals: 'int' },
  PhoneNumberReportedWrong: { ...ids, callId: 'id' },
  FollowUpClaimed: { ...ids, followUpId: 'id', claimedBy: 'id', until: 'instant' },
  PersonalDetailsCorrected: { ...ids, correctionId: 'id', patient: personal, reason: 'text' },
  CallRecordCorrected: { ...correction, callId: 'id', callerId: 'id', 'followUpId?': 'id' },
  ObjectionRecordCorrected: { ...correction, objectionId: 'id', callerId: 'id' },
  ReferralRecordCorrected: { ...correction, referralId: 'id' },
  AppointmentRecordCorrected: { ...correction, appointmentId: 'id' },
  TreatmentRecordCorrected: { ...correction, treatmentId: 'id' },
  PersonalDataErased: { ...ids, reason: 'text' },
  PatientRecordRead: { ...ids, userId: 'id', role: 'id', what: { enum: ['events', 'timeline'] } },
  PatientRecordsListed: { clinicId: 'id', userId: 'id', role: 'id', what: { enum: ['queue', 'doctor_queue', 'doctor_feedback', 'follow_ups', 'feed'] }, patientIds: { array: 'id' } },
};

/** Thrown before append: the named event would not match its type's shape. */
export class MalformedEventError extends Error {
  constructor(
    readonly eventType: string,
    readonly problems: string[],
  ) {
    super(`refusing to append a malformed ${eventType} event: ${problems.join('; ')}`);
  }
}

/** What is wrong with this event's data (empty when nothing is); an unknown type is wrong too. */
export function eventShapeProblems(type: string, data: unknown): string[] {
  const shape = Object.prototype.hasOwnProperty.call(EVENT_SHAPES, type) ? EVENT_SHAPES[type as RapportEventType] : undefined;
  if (!shape) return [`unknown event type ${JSON.stringify(type)}`];
  return objectProblems('data', data, shape);
}

export function assertEventShape(type: string, data: unknown): void {
  const problems = eventShapeProblems(type, data);
  if (problems.length > 0) throw new MalformedEventError(type, problems);
}

function objectProblems(path: string, value: unknown, shape: Shape): string[] {
  if (!isPlainObject(value)) return [`${path} must be an object`];
  const problems: string[] = [];
  const known = new Set<string>();
  for (const [spec, field] of Object.entries(shape)) {
    const optional = spec.endsWith('?');
    const name = optional ? spec.slice(0, -1) : spec;
    known.add(name);
    const present = Object.prototype.hasOwnProperty.call(value, name) && value[name] !== undefined;
    if (!present) {
      if (!optional) problems.push(`${path}.${name} is missing`);
      continue;
    }
    problems.push(...fieldProblems(`${path}.${name}`, value[name], field));
  }
  for (const name of Object.keys(value)) if (!known.has(name)) problems.push(`${path}.${name} is not a field of this event`);
  return problems;
}

function fieldProblems(path: string, value: unknown, field: Field): string[] {
  switch (field) {
    case 'id':
      return typeof value === 'string' && ID.test(value) ? [] : [`${path} must be an id`];
    case 'text':
      return typeof value === 'string' ? [] : [`${path} must be a string`];
    case 'instant':
      return typeof value === 'string' && INSTANT.test(value) ? [] : [`${path} must be an ISO-8601 instant`];
    case 'int':
      return Number.isSafeInteger(value) ? [] : [`${path} must be a whole number`];
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : [`${path} must be a number`];
    case 'bool':
      return typeof value === 'boolean' ? [] : [`${path} must be true or false`];
    case 'json':
      return value !== null && typeof value === 'object' ? [] : [`${path} must be an object`];
  }
  if ('enum' in field) return typeof value === 'string' && field.enum.includes(value) ? [] : [`${path} must be one of ${field.enum.join(', ')}`];
  if ('object' in field) return objectProblems(path, value, field.object);
  if (!Array.isArray(value)) return [`${path} must be an array`];
  return value.flatMap((item, i) => fieldProblems(`${path}.${i}`, item, field.array));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
