export * from './hash-chain';
export * from './verify-chain';
export * from './key-vault';
export * from './personal-data';
export * from './audited-event-store';
export * from './open-audited-store';
