import { mondayOfIsoWeek } from './iso-week';

describe('ISO weeks', () => {
  it('finds the Monday of a week', () => {
    expect(mondayOfIsoWeek('2026-W48')?.toString()).toBe('2026-11-23');
    // Week 1 holds 4 January: in 2026 it starts in December 2025.
    expect(mondayOfIsoWeek('2026-W01')?.toString()).toBe('2025-12-29');
    // 2026 starts on a Thursday, so it has a week 53; 2020 (a leap year starting on Wednesday) too.
    expect(mondayOfIsoWeek('2026-W53')?.toString()).toBe('2026-12-28');
    expect(mondayOfIsoWeek('2020-W53')?.toString()).toBe('2020-12-28');
  });

  it('refuses weeks that do not exist and other spellings', () => {
    expect(mondayOfIsoWeek('2027-W53')).toBeUndefined();
    expect(mondayOfIsoWeek('2026-W00')).toBeUndefined();
    expect(mondayOfIsoWeek('2026-W54')).toBeUndefined();
    expect(mondayOfIsoWeek('2026-48')).toBeUndefined();
    expect(mondayOfIsoWeek('2026-W4')).toBeUndefined();
    expect(mondayOfIsoWeek('')).toBeUndefined();
  });
});
