import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clinicStream, patientStream } from '@rapport/domain';
import { EVENT_SCHEMA_VERSIONS } from '@rapport/domain';

/** docs/EVENTS.md is what downstream subscribers go by: it must name every event type the code writes. */
const catalogue = readFileSync(join(__dirname, '..', 'docs', 'EVENTS.md'), 'utf8');
const headings = [...catalogue.matchAll(/^### (\w+) \(v(\d+)\)$/gm)].map((m) => ({ type: m[1], version: Number(m[2]), at: m.index }));

describe('docs/EVENTS.md, the event catalogue', () => {
  it.each(Object.entries(EVENT_SCHEMA_VERSIONS))('has a section for %s at schema version %i', (type, version) => {
    expect(headings.filter((h) => h.type === type).map((h) => h.version)).toEqual([version]);
  });

  it('documents no event type the code does not have', () => {
    expect(headings.map((h) => h.type).filter((type) => !(type in EVENT_SCHEMA_VERSIONS))).toEqual([]);
  });

  it('says which stream and category each event lands in', () => {
    const streams = /Stream `(patient-<patientId>|clinic-<clinicId>|access-<clinicId>)`[^.]*, category `(patient|clinic|access)`/;
    for (const [i, heading] of headings.entries()) {
      const section = catalogue.slice(heading.at, headings[i + 1]?.at ?? catalogue.indexOf('\n## ', heading.at));
      const match = streams.exec(section);
      expect({ type: heading.type, stream: match?.[1] }).toEqual({ type: heading.type, stream: expect.any(String) });
      expect(match![1].split('-')[0]).toBe(match![2]);
    }
  });

  it('names the streams as the code builds them', () => {
    expect(patientStream('<patientId>')).toBe('patient-<patientId>');
    expect(clinicStream('<clinicId>')).toBe('clinic-<clinicId>');
    expect(catalogue).toContain('| `patient-<patientId>` | `patient` |');
    expect(catalogue).toContain('| `clinic-<clinicId>` | `clinic` |');
  });
});
