// What a call screen needs to know about the patient and the follow-up, read from the patient's
// own stream (GET /v1/patients/:patientId/events): the same on a caller's and a doctor's screen,
// and for a call opened outside the queue.

const text = (value) => (typeof value === 'string' && value ? value : undefined);

export function callFacts(events, followUpId) {
  const patient = { name: undefined, phone: undefined, erased: false, phoneWrong: false };
  const treatments = new Map();
  let followUp = null;
  const calls = new Map();
  let concern;
  for (const event of events) {
    const d = event.data ?? {};
    switch (event.type) {
      case 'TreatmentCompleted':
        treatments.set(d.treatmentId, { treatmentId: d.treatmentId, doctorId: d.doctorId, procedure: d.procedure, completedAt: d.completedAt });
        mergePatient(patient, d.patient);
        break;
      case 'TreatmentRecordCorrected': {
        const treatment = treatments.get(d.treatmentId);
        if (treatment) Object.assign(treatment, pick(d.corrected, ['doctorId', 'procedure', 'completedAt']));
        break;
      }
      case 'InquiryReceived':
        mergePatient(patient, d.patient);
        concern = text(d.concern) ?? concern;
        break;
      case 'PersonalDetailsCorrected':
        mergePatient(patient, d.patient);
        if (text(d.patient?.phone)) patient.phoneWrong = false;
        break;
      case 'PhoneNumberReportedWrong':
        patient.phoneWrong = true;
        break;
      case 'PersonalDataErased':
        patient.erased = true;
        break;
      case 'CallAttempted':
        calls.set(d.callId, { ...d, recordedBy: event.metadata?.actor?.userId });
        if (followUp && d.followUpId === followUp.followUpId) {
          followUp.attempts.push(d);
          followUp.claim = null; // the call that works it releases the claim
        }
        break;
      case 'FollowUpScheduled':
      case 'FollowUpAdded':
        if (d.followUpId === followUpId) {
          followUp = {
            followUpId: d.followUpId,
            purpose: d.purpose,
            kind: d.kind ?? (event.type === 'FollowUpAdded' ? 'added' : 'treatment'),
            ruleId: d.origin?.ruleId,
            stepId: d.origin?.stepId,
            callNumber: d.callNumber,
            urgent: Boolean(d.urgent),
            deadlineAt: d.deadlineAt,
            dueAt: d.dueAt,
            treatmentId: d.treatmentId,
            assignee: d.assignee,
            sourceCallId: d.callId,
            attempts: [],
            closed: false,
            claim: null,
          };
        }
        break;
      case 'FollowUpMoved':
      case 'FollowUpRescheduled':
        if (followUp && d.followUpId === followUp.followUpId) followUp.dueAt = d.dueAt;
        break;
      case 'FollowUpClosed':
      case 'FollowUpCancelled':
        if (followUp && d.followUpId === followUp.followUpId) {
          followUp.closed = true;
          followUp.closedReason = d.reason;
          followUp.closedByCallId = d.callId;
          followUp.closedBy = d.callId ? calls.get(d.callId)?.callerId : event.metadata?.actor?.userId;
        }
        break;
      case 'FollowUpClaimed':
        if (followUp && d.followUpId === followUp.followUpId) followUp.claim = { by: d.claimedBy, until: d.until };
        break;
      default:
        break;
    }
  }
  const list = [...treatments.values()];
  const treatment = (followUp?.treatmentId && treatments.get(followUp.treatmentId)) || list.sort((a, b) => String(a.completedAt).localeCompare(String(b.completedAt))).at(-1);
  const sourceCall = followUp?.sourceCallId ? calls.get(followUp.sourceCallId) : undefined;
  return {
    patient,
    treatment,
    followUp,
    concern,
    reported: text(sourceCall?.symptoms) ?? (sourceCall?.complaint ? text(sourceCall?.notes) : undefined),
    callCount: calls.size,
  };
}

function mergePatient(patient, given) {
  if (!given) return;
  patient.name = text(given.name) ?? patient.name;
  patient.phone = text(given.phone) ?? patient.phone;
}

function pick(object = {}, keys) {
  return Object.fromEntries(keys.filter((k) => object[k] !== undefined).map((k) => [k, object[k]]));
}
