/**
 * A validated DTO as plain JSON data for an event: no class instance, no undefined keys (JSON
 * would drop them later and the same request would hash differently).
 */
export function plainData<T extends object>(dto: T): T {
  return JSON.parse(JSON.stringify(dto)) as T;
}
