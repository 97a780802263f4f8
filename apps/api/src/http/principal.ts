/**
 * Who a command acts as, as it goes into every event's metadata.actor: the token's user and role
 * (never the clinics, never anything from the body). Scripts that record outside HTTP (the demo
 * month, the bench) name their own.
 */
export interface Principal {
  userId: string;
  role: string;
}

/** The actor of commands run by local scripts (bench seeding), not by a person over HTTP. */
export const LOCAL_OPERATOR: Principal = { userId: 'local-operator', role: 'admin' };
