/** A row that could not run for a reason outside it (printed as "not run", not "failed"). */
export class NotRun extends Error {}
