import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { demoConsentTemplates } from './consent.demo.ts';
import { renderConsentPdf } from './consent.pdf.ts';
import {
  longDate,
  longDateTime,
  namesMatch,
  renderConsentText,
  sha256Hex,
  unknownPlaceholders,
} from './consent.render.ts';
import { type SignatureFacts, standingOf, statusOf, type TemplateFacts } from './consent.status.ts';

const day = (d: Date) => longDate(d, 'UTC');
const general: TemplateFacts = {
  id: 'g',
  kind: 'general',
  title: 'General consent',
  required: true,
  routes: [],
  currentVersion: { id: 'g2', version: 2 },
};
const iv: TemplateFacts = {
  id: 'i',
  kind: 'iv',
  title: 'IV consent',
  required: true,
  routes: ['iv'],
  currentVersion: { id: 'i1', version: 1 },
};
const touch: TemplateFacts = {
  id: 't',
  kind: 'touch',
  title: 'Touch',
  required: false,
  routes: [],
  currentVersion: { id: 't1', version: 1 },
};
const signature = (overrides: Partial<SignatureFacts>): SignatureFacts => ({
  id: Math.random().toString(36),
  templateId: 'g',
  templateVersionId: 'g2',
  version: 2,
  signedAt: new Date('2026-03-01T12:00:00Z'),
  countersignedAt: new Date('2026-03-01T13:00:00Z'),
  withdrawnAt: null,
  ...overrides,
});

describe('rendering the text a patient signs', () => {
  it('fills in the name, clinic and date, and hashes the exact UTF-8 bytes', () => {
    const text = renderConsentText({
      title: 'Consent',
      version: 3,
      body: 'I, {{patientName}}, consent at {{ clinicName }} on {{date}}. {{unknown}} stays.\r\n',
      patientName: 'Zoë Núñez',
      clinicName: 'Harbor',
      date: '4 May 2026',
    });
    expect(text).toBe(
      'Consent (version 3)\n\nPatient: Zoë Núñez\nClinic: Harbor\nDate: 4 May 2026\n\nI, Zoë Núñez, consent at Harbor on 4 May 2026. {{unknown}} stays.\n',
    );
    // Known vector: SHA-256("abc").
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(text)).not.toBe(sha256Hex(text.normalize('NFD')));
    expect(unknownPlaceholders('{{patientName}} {{nmae}} {{nmae}} {{date}}')).toEqual(['nmae']);
  });

  it('matches names regardless of case, accents, spacing and apostrophes, and nothing looser', () => {
    expect(namesMatch('jose nunez', 'José Núñez')).toBe(true);
    expect(namesMatch('  JOSÉ   NÚÑEZ ', 'José Núñez')).toBe(true);
    expect(namesMatch('Siobhan O’Brien', "Siobhán O'Brien")).toBe(true);
    expect(namesMatch('José', 'José Núñez')).toBe(false);
    expect(namesMatch('Nunez Jose', 'José Núñez')).toBe(false);
    expect(namesMatch('José Nuñes', 'José Núñez')).toBe(false);
  });

  it('dates the text in the clinic’s time zone', () => {
    const lateEvening = new Date('2026-05-02T05:30:00Z'); // still 1 May in Denver
    expect(longDate(lateEvening, 'America/Denver')).toBe('1 May 2026');
    expect(longDate(lateEvening, 'UTC')).toBe('2 May 2026');
    expect(longDateTime(lateEvening, 'America/Denver')).toBe('1 May 2026, 23:30 (America/Denver)');
  });
});

describe('where a patient stands with a form', () => {
  it('goes by the latest signature: withdrawn, outdated, awaiting countersignature or valid', () => {
    expect(standingOf(general, []).state).toBe('not-signed');
    expect(standingOf(general, [signature({})]).state).toBe('valid');
    expect(standingOf(general, [signature({ countersignedAt: null })]).state).toBe(
      'awaiting-countersignature',
    );
    expect(standingOf(general, [signature({ templateVersionId: 'g1', version: 1 })]).state).toBe('outdated');
    expect(standingOf(general, [signature({ withdrawnAt: new Date('2026-03-02T00:00:00Z') })]).state).toBe(
      'withdrawn',
    );
    // Signed again after a withdrawal: the new signature decides.
    const again = [
      signature({ withdrawnAt: new Date('2026-03-02T00:00:00Z') }),
      signature({ signedAt: new Date('2026-03-05T00:00:00Z'), countersignedAt: null }),
    ];
    expect(standingOf(general, again).state).toBe('awaiting-countersignature');
    // Signatures on other forms do not count.
    expect(standingOf(iv, [signature({})]).state).toBe('not-signed');
  });

  it('is valid only with every required form for the route, and never without the forms themselves', () => {
    const signedGeneral = signature({});
    expect(statusOf([general, iv, touch], [signedGeneral], undefined, day)).toEqual({
      valid: true,
      problems: [],
    });
    const forIv = statusOf([general, iv, touch], [signedGeneral], 'iv', day);
    expect(forIv.valid).toBe(false);
    expect(forIv.problems).toEqual(['“IV consent” has not been signed by the patient yet.']);
    const ivSigned = signature({ templateId: 'i', templateVersionId: 'i1', version: 1 });
    expect(statusOf([general, iv], [signedGeneral, ivSigned], 'iv', day).valid).toBe(true);
    // Optional forms never block; a route without its form does.
    expect(statusOf([general, touch], [signedGeneral], 'im', day).problems).toEqual([
      'No consent form for IM injection treatment is set up for this clinic; an administrator can add one under Consent templates.',
    ]);
    expect(statusOf([], [], undefined, day).valid).toBe(false);
    const outdated = statusOf(
      [general],
      [signature({ templateVersionId: 'g1', version: 1 })],
      undefined,
      day,
    );
    expect(outdated.problems).toEqual([
      '“General consent” changed: the patient signed version 1, and version 2 must be signed before the next dosing session.',
    ]);
  });
});

describe('the demo forms', () => {
  it('cover every kind once, use only known placeholders, and print to PDF with their text', async () => {
    const kinds = demoConsentTemplates.map((t) => t.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds.sort()).toEqual(
      ['esketamine', 'general', 'im', 'iv', 'recording', 'research', 'sublingual-home', 'touch'].sort(),
    );
    for (const t of demoConsentTemplates) {
      expect(unknownPlaceholders(t.body), t.kind).toEqual([]);
      const text = renderConsentText({
        title: t.title,
        version: 1,
        body: t.body,
        patientName: 'Valdés Núñez',
        clinicName: 'Summit',
        date: '1 May 2026',
      });
      const pdf = Buffer.from(
        await renderConsentPdf({
          clinicName: 'Summit',
          title: t.title,
          version: 1,
          text,
          patient: { name: 'Valdés Núñez', mrn: 'K000001' },
          signature: {
            id: '00000000-0000-4000-8000-000000000000',
            typedName: 'Valdes Nunez',
            signedAt: '1 May 2026, 10:00 (America/Denver)',
            signedAtUtc: '2026-05-01T16:00:00.000Z',
            ip: '203.0.113.7',
            userAgent: 'Test',
            textSha256: sha256Hex(text),
            intact: true,
          },
          countersignature: null,
          withdrawal: null,
          printedAt: '1 May 2026, 10:05 (America/Denver)',
        }),
      );
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const drawn = [...pdf.toString('latin1').matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)]
        .map((m) => inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1'))
        .flatMap((c) =>
          [...c.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')),
        )
        .join(' ');
      expect(drawn, t.kind).toContain(sha256Hex(text));
      expect(drawn, t.kind).toContain(t.title);
    }
  });

  it('state the facts the brief requires, in line with the clinical reference', () => {
    const body = (kind: string) => demoConsentTemplates.find((t) => t.kind === kind)!.body;
    const generalText = body('general');
    for (const fact of [
      'Schedule III',
      'dissociation',
      'blood pressure',
      'Nausea',
      'Bladder',
      'misused',
      'until the next day',
      'withdraw this consent at any time',
      'Alternatives',
      'Confidentiality',
    ])
      expect(generalText).toContain(fact);
    expect(body('esketamine')).toContain('at least 2 hours');
    expect(body('esketamine')).toContain('REMS');
    for (const fact of ['locked place', 'responsible adult', 'Do not drive', 'Dose log'])
      expect(body('sublingual-home')).toContain(fact);
    for (const kind of ['touch', 'recording', 'research']) {
      const t = demoConsentTemplates.find((x) => x.kind === kind)!;
      expect(t.required).toBe(false);
    }
  });
});
