import { DEFAULT_PROTOCOL } from './default-protocol';
import type { EventRule, Protocol, ProspectRule } from './protocol';

/**
 * The non-treatment sections a protocol governs. A clinic's protocol that leaves a section out
 * uses the default's, so an override of the procedure rules alone keeps missed-visit, complaint,
 * greeting and prospect calls working.
 */
export function missedAppointmentRule(protocol: Protocol): EventRule {
  return protocol.missedAppointment ?? DEFAULT_PROTOCOL.missedAppointment!;
}

export function complaintCallbackRule(protocol: Protocol): EventRule {
  return protocol.complaintCallback ?? DEFAULT_PROTOCOL.complaintCallback!;
}

export function greetingRule(protocol: Protocol): EventRule {
  return protocol.greeting ?? DEFAULT_PROTOCOL.greeting!;
}

export function prospectRule(protocol: Protocol): ProspectRule {
  return protocol.prospect ?? DEFAULT_PROTOCOL.prospect!;
}

/** The protocol with every section filled in: what a clinic's protocol means, for comparing two. */
export function effectiveProtocol(protocol: Protocol): Required<Protocol> {
  return {
    version: protocol.version,
    rules: protocol.rules,
    missedAppointment: missedAppointmentRule(protocol),
    complaintCallback: complaintCallbackRule(protocol),
    greeting: greetingRule(protocol),
    prospect: prospectRule(protocol),
  };
}
