// `npm run test:unit`: the pure unit specs (*.unit.spec.ts: domain, projection helpers, the
// architecture and catalogue checks) alone, from source through swc. Same transform and aliases as
// jest.config.js, but no globalSetup/globalTeardown, so no PostgreSQL or testcontainers probe and
// no build. Nothing here needs a database, a server process or dist/.
process.env.TZ = 'UTC'; // as test/global-setup.ts sets it for the full run
const base = require('./jest.config.js');
const { globalSetup, globalTeardown, ...shared } = base;
module.exports = {
  ...shared,
  // Every *.unit.spec.ts (libs/domain, libs/projections, libs/event-store, test/), and any domain spec however named.
  testMatch: ['**/*.unit.spec.ts', '**/libs/domain/**/*.spec.ts'],
  testTimeout: 20000,
};
