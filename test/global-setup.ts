// Runs once before the suites. Kept small: per-suite probes print their own "did not run" lines.
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
}
