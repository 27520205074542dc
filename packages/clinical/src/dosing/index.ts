import type { Citation, DoseCalculation, DoseOrder, RuleMetadata } from '../types.ts';

const cite = (section: string, source: string, evidence: Citation['evidence'] = 'primary'): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});

/** One SPRAVATO device delivers 28 mg (clinical-reference 2.5, US PI). */
export const esketamineDeviceMg = 28;

/**
 * Dose limits as plain data, every number with its source. `null` means the reference gives no number: the
 * clinic sets it, and until it does no hard block applies (the dose still needs the prescriber's order).
 */
export interface DosingLimits {
  iv: { standardMgPerKg: number; warnAboveMgPerKg: number; blockAtOrAboveMgPerKg: number | null };
  im: { warnAboveMgPerKg: number; blockAtOrAboveMgPerKg: number };
  sublingualOral: { warnAboveMg: number; blockAboveMg: number | null };
  intranasalRacemic: { warnAboveMg: number | null; blockAboveMg: number | null };
  esketamine: { labelDosesMg: readonly number[]; maxMg: number };
}

export const defaultDosingLimits: DosingLimits = {
  iv: { standardMgPerKg: 0.5, warnAboveMgPerKg: 1.0, blockAtOrAboveMgPerKg: null },
  im: { warnAboveMgPerKg: 1.0, blockAtOrAboveMgPerKg: 6.5 },
  sublingualOral: { warnAboveMg: 450, blockAboveMg: null },
  intranasalRacemic: { warnAboveMg: null, blockAboveMg: null },
  esketamine: { labelDosesMg: [56, 84], maxMg: 84 },
};

export const dosingCitations = {
  ivStandard: cite(
    '2.1',
    'Fava M et al. Mol Psychiatry 2020;25:1592-1603: 0.5 mg/kg over 40 min is the standard',
  ),
  ivRange: cite(
    '2.1',
    'Fava 2018 dose-ranging: 0.1–1.0 mg/kg studied; IV anaesthetic range not in the reference (clinic setting)',
  ),
  imAnaesthetic: cite('2.2', 'Ketalar PI: IM anaesthetic dose 6.5–13 mg/kg, never a KAP dose'),
  imRange: cite('2.2', 'KAP IM 0.25–1.0 mg/kg UNCONFIRMED; Glue 2017 SC 0.25–1 mg/kg', 'unconfirmed'),
  sublingual: cite(
    '2.3',
    'Practice ranges 50–400 mg (Aycart), 100–400 mg (CTP), 300–450 mg (Hull 2022)',
    'secondary',
  ),
  intranasal: cite(
    '2.4',
    'No fixed intranasal bioavailability (17% at 10 mg to 45% reported); no dose range in the reference',
  ),
  esketamine: cite(
    '2.5',
    'SPRAVATO US PI: 28 mg devices; 56 or 84 mg per session; 5 minutes between devices',
  ),
  esketamineElderly: cite(
    '2.5',
    '28 mg day-1 start for ≥65 (EU/HK label); US status UNCONFIRMED',
    'unconfirmed',
  ),
};

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

function positive(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

/**
 * Computes and checks one dose. IV and IM are weight-based (mg/kg × weight); sublingual, oral and
 * intranasal racemic doses are fixed mg; esketamine is given in whole 28 mg devices. Nonsense input
 * (missing or non-positive weight, dose or concentration) is 'blocked' with the reason, never a guess.
 */
export function calculateDose(order: DoseOrder, limits: DosingLimits = defaultDosingLimits): DoseCalculation {
  const messages: string[] = [];
  let warned = false;
  const warn = (message: string) => {
    warned = true;
    messages.push(message);
  };
  const blocked = (message: string, doseMg = 0): DoseCalculation => ({
    doseMg,
    level: 'blocked',
    messages: [...messages, message],
  });

  if (order.product === 'esketamine') {
    if (order.route !== 'intranasal')
      return blocked('Esketamine (SPRAVATO) is given only as the nasal spray.');
    if (!positive(order.doseMg)) return blocked('Give the esketamine dose in mg (28 mg per device).');
    const doseMg = order.doseMg;
    if (doseMg % esketamineDeviceMg !== 0) {
      return blocked(`${doseMg} mg is not a whole number of 28 mg devices: choose 56 or 84 mg.`, doseMg);
    }
    const devices = doseMg / esketamineDeviceMg;
    if (doseMg > limits.esketamine.maxMg)
      return {
        ...blocked(
          `${doseMg} mg is above the label maximum of ${limits.esketamine.maxMg} mg per session.`,
          doseMg,
        ),
        devices,
      };
    let level: DoseCalculation['level'] = 'ok';
    if (!limits.esketamine.labelDosesMg.includes(doseMg)) {
      level = 'warning';
      messages.push(
        order.ageYears !== undefined && order.ageYears >= 65
          ? '28 mg is the older-adult starting dose in some labels (US label status unconfirmed); confirm the order.'
          : `${doseMg} mg is below the label doses (56 or 84 mg).`,
      );
    }
    messages.push(`${devices} devices, 5 minutes apart; blow the nose before the first device only.`);
    return { doseMg, devices, level, messages };
  }

  let doseMg: number;
  let mgPerKg: number | undefined;
  if (order.route === 'iv' || order.route === 'im') {
    if (!positive(order.weightKg)) return blocked('Weight (kg) is needed for a weight-based IV or IM dose.');
    if (order.weightKg > 400)
      return blocked(`${order.weightKg} kg is not a plausible weight; check the units.`);
    if (positive(order.mgPerKg)) {
      mgPerKg = order.mgPerKg;
      doseMg = round(order.mgPerKg * order.weightKg, 1);
    } else if (positive(order.doseMg)) {
      doseMg = order.doseMg;
      mgPerKg = round(order.doseMg / order.weightKg, 3);
    } else {
      return blocked('Give the dose as mg/kg (or mg).');
    }
    if (order.route === 'iv') {
      const l = limits.iv;
      if (l.blockAtOrAboveMgPerKg !== null && mgPerKg >= l.blockAtOrAboveMgPerKg) {
        return {
          ...blocked(
            `${mgPerKg} mg/kg IV is at or above the clinic's hard limit of ${l.blockAtOrAboveMgPerKg} mg/kg.`,
            doseMg,
          ),
          mgPerKg,
        };
      }
      if (mgPerKg > l.warnAboveMgPerKg)
        warn(
          `${mgPerKg} mg/kg is above the highest dose studied for depression (${l.warnAboveMgPerKg} mg/kg).`,
        );
      if (mgPerKg !== l.standardMgPerKg)
        messages.push(`The standard antidepressant dose is ${l.standardMgPerKg} mg/kg over 40 minutes.`);
      else messages.push('Infuse over 40 minutes.');
    } else {
      const l = limits.im;
      if (mgPerKg >= l.blockAtOrAboveMgPerKg) {
        return {
          ...blocked(
            `${mgPerKg} mg/kg IM is in the anaesthetic range (from ${l.blockAtOrAboveMgPerKg} mg/kg).`,
            doseMg,
          ),
          mgPerKg,
        };
      }
      if (mgPerKg > l.warnAboveMgPerKg)
        warn(
          `${mgPerKg} mg/kg IM is above the usual KAP range (up to ${l.warnAboveMgPerKg} mg/kg; range unconfirmed).`,
        );
    }
  } else {
    if (!positive(order.doseMg)) return blocked(`Give the ${order.route} dose in mg.`);
    doseMg = order.doseMg;
    if (positive(order.weightKg)) mgPerKg = round(doseMg / order.weightKg, 3);
    if (order.route === 'intranasal') {
      const l = limits.intranasalRacemic;
      if (l.blockAboveMg !== null && doseMg > l.blockAboveMg)
        return blocked(
          `${doseMg} mg is above the clinic's intranasal limit of ${l.blockAboveMg} mg.`,
          doseMg,
        );
      if (l.warnAboveMg !== null && doseMg > l.warnAboveMg)
        warn(`${doseMg} mg is above the clinic's intranasal warning level (${l.warnAboveMg} mg).`);
      messages.push(
        'Intranasal absorption varies widely between studies; no fixed bioavailability is assumed.',
      );
    } else {
      const l = limits.sublingualOral;
      if (l.blockAboveMg !== null && doseMg > l.blockAboveMg)
        return blocked(`${doseMg} mg is above the clinic's limit of ${l.blockAboveMg} mg.`, doseMg);
      if (doseMg > l.warnAboveMg)
        warn(`${doseMg} mg is above the highest practice doses reported (${l.warnAboveMg} mg).`);
    }
  }

  let volumeMl: number | undefined;
  if (order.concentrationMgPerMl !== undefined) {
    if (!positive(order.concentrationMgPerMl))
      return blocked('The concentration must be a positive number of mg/mL.', doseMg);
    volumeMl = round(doseMg / order.concentrationMgPerMl, 2);
  }
  const level = warned ? 'warning' : 'ok';
  return {
    doseMg,
    ...(mgPerKg !== undefined ? { mgPerKg } : {}),
    ...(volumeMl !== undefined ? { volumeMl } : {}),
    level,
    messages,
  };
}

export const dosingRules: RuleMetadata[] = [
  {
    id: 'dosing.iv-standard',
    area: 'dosing',
    title: 'IV racemic ketamine: standard 0.5 mg/kg over 40 minutes',
    citation: dosingCitations.ivStandard,
    setting: { key: 'dosing.iv.standardMgPerKg', default: 0.5, unit: 'mg/kg' },
  },
  {
    id: 'dosing.iv-warning',
    area: 'dosing',
    title: 'IV: warn above 1.0 mg/kg (highest dose studied)',
    citation: dosingCitations.ivRange,
    setting: { key: 'dosing.iv.warnAboveMgPerKg', default: 1.0, unit: 'mg/kg' },
  },
  {
    id: 'dosing.iv-block',
    area: 'dosing',
    title: 'IV: hard limit (the reference gives no IV anaesthetic threshold)',
    citation: dosingCitations.ivRange,
    setting: { key: 'dosing.iv.blockAtOrAboveMgPerKg', default: null, unit: 'mg/kg' },
  },
  {
    id: 'dosing.im-block',
    area: 'dosing',
    title: 'IM: block at the anaesthetic range, from 6.5 mg/kg',
    citation: dosingCitations.imAnaesthetic,
    setting: { key: 'dosing.im.blockAtOrAboveMgPerKg', default: 6.5, unit: 'mg/kg' },
  },
  {
    id: 'dosing.im-warning',
    area: 'dosing',
    title: 'IM: warn above 1.0 mg/kg (KAP range unconfirmed)',
    citation: dosingCitations.imRange,
    setting: { key: 'dosing.im.warnAboveMgPerKg', default: 1.0, unit: 'mg/kg' },
  },
  {
    id: 'dosing.sublingual-warning',
    area: 'dosing',
    title: 'Sublingual/oral: warn above 450 mg (highest practice dose reported)',
    citation: dosingCitations.sublingual,
    setting: { key: 'dosing.sublingualOral.warnAboveMg', default: 450, unit: 'mg' },
  },
  {
    id: 'dosing.sublingual-block',
    area: 'dosing',
    title: 'Sublingual/oral: hard limit (none in the reference)',
    citation: dosingCitations.sublingual,
    setting: { key: 'dosing.sublingualOral.blockAboveMg', default: null, unit: 'mg' },
  },
  {
    id: 'dosing.intranasal-limits',
    area: 'dosing',
    title: 'Intranasal racemic: warning and hard limits (none in the reference)',
    citation: dosingCitations.intranasal,
    setting: { key: 'dosing.intranasalRacemic.blockAboveMg', default: null, unit: 'mg' },
  },
  {
    id: 'dosing.esketamine-devices',
    area: 'dosing',
    title: 'Esketamine: whole 28 mg devices; 56 or 84 mg; above 84 mg blocked',
    citation: dosingCitations.esketamine,
  },
  {
    id: 'dosing.esketamine-older-adult',
    area: 'dosing',
    title: 'Esketamine 28 mg: only as an older-adult start (warning)',
    citation: dosingCitations.esketamineElderly,
  },
];
