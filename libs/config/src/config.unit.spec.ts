import fc from 'fast-check';
import { configFromEnv, wholeNumberSetting } from './config';

describe('whole-number settings', () => {
  it('unset or empty is the default; a whole number at or above the minimum is taken', () => {
    expect(wholeNumberSetting({}, 'X_ROWS', 500, 0)).toBe(500);
    expect(wholeNumberSetting({ X_ROWS: '' }, 'X_ROWS', 500, 0)).toBe(500);
    expect(wholeNumberSetting({ X_ROWS: '0' }, 'X_ROWS', 500, 0)).toBe(0);
    expect(wholeNumberSetting({ X_ROWS: '200000' }, 'X_ROWS', 500, 1)).toBe(200_000);
  });

  it('anything else stops the start, naming the setting and what it was given', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string().filter((s) => s !== '' && !/^\d+$/.test(s)), fc.constantFrom('abc', '1.5', '-1', '1e3', '0x10', ' ', ' 5', 'NaN', 'Infinity', '99999999999999999999')),
        (text) => {
          expect(() => wholeNumberSetting({ X_ROWS: text }, 'X_ROWS', 500, 0)).toThrow(`X_ROWS must be a whole number ≥ 0, not "${text}"`);
        },
      ),
    );
    expect(() => wholeNumberSetting({ X_ROWS: '0' }, 'X_ROWS', 500, 1)).toThrow('X_ROWS must be a whole number ≥ 1, not "0"');
  });

  it('the configuration refuses a connection limit that is not one', () => {
    expect(() => configFromEnv({ MAX_CONNECTIONS: 'lots' })).toThrow('MAX_CONNECTIONS must be a whole number ≥ 1, not "lots"');
    expect(configFromEnv({ MAX_CONNECTIONS: '50' }).maxConnections).toBe(50);
  });
});
