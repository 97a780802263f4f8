// Jest on Node 20 with NestJS 12 (ESM-only): swc transforms TypeScript and the ESM-only packages
// to CommonJS. swc does not type-check; `npm test` runs `tsc --noEmit` first.
const ts = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
const js = { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } };
module.exports = {
  testEnvironment: 'node',
  // The path aliases of tsconfig.json (@rapport/<lib>[/deep] -> libs/<lib>/src[/deep]).
  moduleNameMapper: { '^@rapport/([a-z-]+)(/.*)?$': '<rootDir>/libs/$1/src$2' },
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', ts], '^.+\\.m?js$': ['@swc/jest', js] },
  transformIgnorePatterns: [
    '/node_modules/(?!(?:.+/node_modules/)?(?:@nestjs|kysely|temporal-polyfill|temporal-utils|file-type|cookie|content-disposition|jose)/)',
  ],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
};
