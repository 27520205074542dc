import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instruments, ruleCatalog } from '../src/index.ts';
import { renderReadme } from './readme.ts';

describe('package README and rule catalog', () => {
  it('the committed README is exactly what the rules generate (run `npm run docs -w @kapstone/clinical`)', () => {
    const committed = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
    expect(committed).toBe(renderReadme());
  });

  it('every rule has a unique id, a section of the reference and a source', () => {
    const rules = ruleCatalog();
    expect(rules.length).toBeGreaterThan(80);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(rule.citation.section, rule.id).toMatch(/^clinical-reference \d+(\.\d+)?$/);
      expect(rule.citation.source.trim().length, rule.id).toBeGreaterThan(5);
      expect(['primary', 'secondary', 'unconfirmed']).toContain(rule.citation.evidence);
    }
  });

  it('lists every instrument, and every rule id, in the README', () => {
    const readme = renderReadme();
    for (const id of Object.keys(instruments)) expect(readme).toContain(`| \`${id}\` |`);
    for (const rule of ruleCatalog()) expect(readme).toContain(`| \`${rule.id}\` |`);
  });

  it('marks every number that the reference does not give as a clinic setting without a default', () => {
    const withoutDefault = ruleCatalog()
      .filter((r) => r.setting && r.setting.default === null)
      .map((r) => r.id);
    expect(withoutDefault).toEqual(
      expect.arrayContaining([
        'monitoring.spo2',
        'monitoring.heart-rate',
        'monitoring.racemic-fasting',
        'dosing.iv-block',
        'eligibility.diazepam-equivalents',
        'outcomes.no-response-after-sessions',
        'outcomes.madrs.worsening',
        'outcomes.qids-sr16.worsening',
        'outcomes.pcl5.remission',
      ]),
    );
  });
});
