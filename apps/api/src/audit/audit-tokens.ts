/** The event store exactly as stored (sealed, chained): what verification reads. */
export const RAW_EVENT_STORE = Symbol('RawEventStore');
/** The patients' data keys (libs/audit KeyVault): erasure destroys one. */
export const KEY_VAULT = Symbol('KeyVault');
