import type { Citation, RuleMetadata } from '../types.ts';

/**
 * The DEA recordkeeping rules of the controlled-substance ledger (clinical-reference 6): which count an
 * inventory needs, when the next biennial inventory is due, what a physical count against the book balance
 * means, how long records are kept, and what a dispenser's record must hold. Pure functions of their inputs;
 * dates are ISO calendar dates (YYYY-MM-DD) in the clinic's time zone, chosen by the caller.
 */

const cite = (section: string, source: string, evidence: Citation['evidence'] = 'primary'): Citation => ({
  section: `clinical-reference ${section}`,
  source,
  evidence,
});

const inventoryCitation = cite(
  '6',
  '21 CFR 1304.11(b)-(c): initial inventory on the first day of handling; biennial inventory within 2 years of the previous one',
  'secondary',
);
const countMethodCitation = cite(
  '6',
  '21 CFR 1304.11(e)(3) (1971 §304.17): Schedules III–V opened containers may be estimated unless the container holds >1,000 tablets or capsules',
  'secondary',
);
const iowaCitation = cite(
  '6',
  'Iowa Admin. Code r. 481-553.5: annual inventory; exact counts except liquids in non-incremented containers (nearest ¼ container)',
);
const retentionCitation = cite('6', '21 CFR 1304.04(a): every inventory and record kept at least 2 years');
const dispenserCitation = cite(
  '6',
  '21 CFR 1304.22(c): dispensed or administered: name and address of the person, date, units or volume, name or initials of who gave it',
);
const lossCitation = cite(
  '6',
  '21 CFR 1301.76(b) as amended by 88 FR 40707: written notice to the DEA Field Division within 1 business day; DEA Form 106 within 45 days',
);
const continuingCitation = cite(
  '6',
  '21 CFR 1304.21(a): a current, complete and accurate record of each substance received or disposed of',
);

/** A jurisdiction's inventory rules: the federal floor, or a stricter state (encoded per jurisdiction). */
export type InventoryJurisdiction = 'federal' | 'iowa';

export interface InventoryRules {
  jurisdiction: InventoryJurisdiction;
  /** The longest time between two inventories, in months. */
  intervalMonths: number;
  /** How an opened container of a Schedule III substance is counted. */
  openedContainers: 'estimate-allowed' | 'exact-except-non-incremented-liquids';
  citation: Citation;
}

export const inventoryRulesByJurisdiction: Record<InventoryJurisdiction, InventoryRules> = {
  federal: {
    jurisdiction: 'federal',
    intervalMonths: 24,
    openedContainers: 'estimate-allowed',
    citation: inventoryCitation,
  },
  iowa: {
    jurisdiction: 'iowa',
    intervalMonths: 12,
    openedContainers: 'exact-except-non-incremented-liquids',
    citation: iowaCitation,
  },
};

/** The clinic's ledger settings (setting keys `ledger.*`), merged over the jurisdiction's rules. */
export interface LedgerSettings {
  jurisdiction?: InventoryJurisdiction;
  /** Shorter than the jurisdiction's interval if the clinic wants; never longer. */
  inventoryIntervalMonths?: number;
  /** Years the ledger's records are kept; at least 2 (21 CFR 1304.04(a)); a state may require more. */
  retentionYears?: number;
  /**
   * How far an *estimated* count may be from the book balance, in the lot's unit, before it is a
   * discrepancy. The reference gives no tolerance: absent (null), every difference is a discrepancy.
   */
  estimateToleranceQuantity?: number | null;
}

export const minimumRetentionYears = 2;

/** The rules in force: the jurisdiction's, with the clinic's stricter interval where it set one. */
export function effectiveInventoryRules(settings: LedgerSettings = {}): InventoryRules {
  const base = inventoryRulesByJurisdiction[settings.jurisdiction ?? 'federal'];
  const interval = settings.inventoryIntervalMonths;
  if (interval === undefined) return base;
  if (!Number.isInteger(interval) || interval < 1)
    throw new RangeError('inventoryIntervalMonths must be a whole number of months, at least 1');
  return { ...base, intervalMonths: Math.min(interval, base.intervalMonths) };
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
function assertDate(name: string, value: string): void {
  if (!isoDate.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw new RangeError(`${name} must be a date (YYYY-MM-DD)`);
}

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface InventorySchedule {
  /**
   * 'initial-due': no inventory taken yet (an initial inventory, a zero one if nothing is on hand, is due
   * on the first day of handling); 'current': the next one is due on `nextDueDate`; 'overdue'.
   */
  status: 'initial-due' | 'current' | 'overdue';
  /** The last day the next inventory may be taken (the same calendar date `intervalMonths` later). */
  nextDueDate: string | null;
  /** Days from `today` to `nextDueDate` (negative when overdue). */
  daysRemaining: number | null;
  intervalMonths: number;
  citation: Citation;
}

/**
 * When the next inventory of a registered location is due. The initial inventory is the first; each
 * biennial inventory may be taken on any date within the interval of the previous one, so the due date is
 * the same calendar date `intervalMonths` later (29 February falls back to 28 February).
 */
export function inventorySchedule(input: {
  /** The date of the latest inventory (initial or biennial), or null if none was taken. */
  lastInventoryDate: string | null;
  today: string;
  settings?: LedgerSettings;
}): InventorySchedule {
  assertDate('today', input.today);
  const rules = effectiveInventoryRules(input.settings);
  if (input.lastInventoryDate === null)
    return {
      status: 'initial-due',
      nextDueDate: null,
      daysRemaining: null,
      intervalMonths: rules.intervalMonths,
      citation: rules.citation,
    };
  assertDate('lastInventoryDate', input.lastInventoryDate);
  const nextDueDate = addMonths(input.lastInventoryDate, rules.intervalMonths);
  const daysRemaining = daysBetween(input.today, nextDueDate);
  return {
    status: daysRemaining < 0 ? 'overdue' : 'current',
    nextDueDate,
    daysRemaining,
    intervalMonths: rules.intervalMonths,
    citation: rules.citation,
  };
}

/** How one line of an inventory is counted. */
export type CountMethod = 'exact' | 'estimated';

export interface ContainerFacts {
  /** Sealed commercial containers are counted by the container; opened ones by their contents. */
  opened: boolean;
  /** The finished form: a liquid (vial, mL), tablets or capsules, or devices (nasal sprayers, troches). */
  form: 'liquid' | 'tablet' | 'capsule' | 'device';
  /** Units or volume the full container holds (e.g. 10 mL, 1,000 tablets). */
  containerCapacity: number;
  /** A liquid container with volume marks. Unknown (absent) is treated as incremented, the stricter case. */
  incremented?: boolean;
}

export interface CountRequirement {
  /** 'exact' is required; 'estimate-allowed' lets the counter estimate (an exact count is always fine). */
  method: 'exact' | 'estimate-allowed';
  /** A liquid estimated under Iowa's rule is rounded to this fraction of the container. */
  estimateIncrement: number | null;
  reason: string;
  citation: Citation;
}

/**
 * Which count an inventory line needs for a Schedule III substance (ketamine, esketamine). A sealed
 * container is counted as a whole container, which is exact. An opened one may be estimated federally,
 * unless it holds more than 1,000 tablets or capsules; Iowa requires an exact count, except liquids in
 * non-incremented containers, estimated to the nearest quarter container.
 */
export function countRequirement(container: ContainerFacts, settings: LedgerSettings = {}): CountRequirement {
  if (!Number.isFinite(container.containerCapacity) || container.containerCapacity <= 0)
    throw new RangeError('containerCapacity must be a positive number');
  const rules = effectiveInventoryRules(settings);
  if (!container.opened)
    return {
      method: 'exact',
      estimateIncrement: null,
      reason: 'Sealed containers are counted by the whole container.',
      citation: rules.citation,
    };
  const solid = container.form === 'tablet' || container.form === 'capsule';
  if (rules.openedContainers === 'estimate-allowed') {
    if (solid && container.containerCapacity > 1000)
      return {
        method: 'exact',
        estimateIncrement: null,
        reason: 'An opened container of more than 1,000 tablets or capsules needs an exact count.',
        citation: countMethodCitation,
      };
    return {
      method: 'estimate-allowed',
      estimateIncrement: null,
      reason: 'Schedule III: an opened container may be an estimated count or measure.',
      citation: countMethodCitation,
    };
  }
  if (container.form === 'liquid' && container.incremented === false)
    return {
      method: 'estimate-allowed',
      estimateIncrement: container.containerCapacity / 4,
      reason: 'A liquid in a container without volume marks is estimated to the nearest quarter container.',
      citation: iowaCitation,
    };
  return {
    method: 'exact',
    estimateIncrement: null,
    reason: 'This jurisdiction requires an exact count of opened containers.',
    citation: iowaCitation,
  };
}

/** A problem with an inventory or count line, with the field it concerns. */
export interface CountLineIssue {
  field: 'method' | 'quantity';
  message: string;
}

/** Checks a counted line against its requirement: an estimate where an exact count is needed, or off-step. */
export function checkCountLine(
  line: { method: CountMethod; quantity: number },
  requirement: CountRequirement,
): CountLineIssue[] {
  const issues: CountLineIssue[] = [];
  if (!Number.isFinite(line.quantity) || line.quantity < 0)
    issues.push({ field: 'quantity', message: 'The counted quantity must be zero or more.' });
  if (line.method === 'estimated' && requirement.method === 'exact')
    issues.push({ field: 'method', message: `An exact count is required. ${requirement.reason}` });
  if (
    line.method === 'estimated' &&
    requirement.estimateIncrement !== null &&
    Number.isFinite(line.quantity)
  ) {
    const steps = line.quantity / requirement.estimateIncrement;
    if (Math.abs(steps - Math.round(steps)) > 1e-6)
      issues.push({
        field: 'quantity',
        message: `Estimate to the nearest ${roundQuantity(requirement.estimateIncrement)} (a quarter container).`,
      });
  }
  return issues;
}

/** Quantities are kept to 3 decimals (0.001 mL, a thousandth of a unit): the precision the ledger compares at. */
export function roundQuantity(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export type DiscrepancyAction = 'adjustment' | 'loss-report';

export interface CountDiscrepancy {
  /** counted − book, in the lot's unit. */
  difference: number;
  kind: 'match' | 'within-estimate' | 'shortage' | 'overage';
  /**
   * The ledger is never adjusted by a count: a discrepancy asks for an entry of its own. A shortage is either
   * explained (an adjustment with a reason and an admin's signature) or reported as a theft or loss; an
   * overage is an adjustment. Empty when there is nothing to resolve.
   */
  actions: DiscrepancyAction[];
  message: string;
  citation: Citation;
}

/**
 * A physical count against the book balance. Exact counts must match to the ledger's precision; an estimated
 * count may differ by the clinic's tolerance, which has no default (the reference gives none).
 */
export function countDiscrepancy(input: {
  bookBalance: number;
  counted: number;
  method: CountMethod;
  settings?: LedgerSettings;
}): CountDiscrepancy {
  for (const [name, value] of [
    ['bookBalance', input.bookBalance],
    ['counted', input.counted],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be zero or more`);
  }
  const difference = roundQuantity(input.counted - input.bookBalance);
  const tolerance = input.settings?.estimateToleranceQuantity ?? null;
  if (difference === 0)
    return {
      difference: 0,
      kind: 'match',
      actions: [],
      message: 'The count matches the book balance.',
      citation: continuingCitation,
    };
  if (input.method === 'estimated' && tolerance !== null && Math.abs(difference) <= tolerance)
    return {
      difference,
      kind: 'within-estimate',
      actions: [],
      message: `The estimate is within the clinic's tolerance of ${tolerance} of the book balance.`,
      citation: continuingCitation,
    };
  if (difference < 0)
    return {
      difference,
      kind: 'shortage',
      actions: ['adjustment', 'loss-report'],
      message:
        'Less on hand than the book balance. Explain it with an adjustment (reason and admin signature), or report a theft or loss: any theft is reportable, and a loss when significant (21 CFR 1301.76(b)).',
      citation: lossCitation,
    };
  return {
    difference,
    kind: 'overage',
    actions: ['adjustment'],
    message:
      'More on hand than the book balance: a receipt or return may be missing. Record it, or an adjustment with a reason and admin signature.',
    citation: continuingCitation,
  };
}

/** The clinic's retention of ledger records in years: at least 2, whole years. */
export function retentionYears(settings: LedgerSettings = {}): number {
  const years = settings.retentionYears ?? minimumRetentionYears;
  if (!Number.isInteger(years) || years < minimumRetentionYears)
    throw new RangeError(`retentionYears must be a whole number of at least ${minimumRetentionYears}`);
  return years;
}

/** The first date a record dated `recordDate` may be discarded (kept until the day before). */
export function retainedUntil(recordDate: string, settings: LedgerSettings = {}): string {
  assertDate('recordDate', recordDate);
  return addMonths(recordDate, retentionYears(settings) * 12);
}

/** DEA Form 106 is due within 45 days of discovering a theft or significant loss (21 CFR 1301.76(b), lossCitation). */
export const form106DueDays = 45;

/** The deadlines that a discovered theft or significant loss starts. */
export function lossReportDeadlines(discoveredOn: string): {
  /** Written notice to the DEA Field Division Office: the next business day (weekends skipped; holidays are not known here). */
  fieldDivisionNoticeBy: string;
  /** DEA Form 106, submitted electronically. */
  form106By: string;
  citation: Citation;
} {
  assertDate('discoveredOn', discoveredOn);
  const date = new Date(`${discoveredOn}T00:00:00Z`);
  do date.setUTCDate(date.getUTCDate() + 1);
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6);
  const form106 = new Date(`${discoveredOn}T00:00:00Z`);
  form106.setUTCDate(form106.getUTCDate() + form106DueDays);
  return {
    fieldDivisionNoticeBy: date.toISOString().slice(0, 10),
    form106By: form106.toISOString().slice(0, 10),
    citation: lossCitation,
  };
}

/** What a dispensing-log line about an administration must carry (21 CFR 1304.22(c) item 4). */
export interface AdministrationRecordFacts {
  patientName: string | null | undefined;
  /** The patient's address, on one line. */
  patientAddress: string | null | undefined;
  date: string | null | undefined;
  quantity: number | null | undefined;
  administeredBy: string | null | undefined;
}

/** The fields 1304.22(c) asks for that an administration record lacks (empty when complete). */
export function administrationRecordGaps(facts: AdministrationRecordFacts): string[] {
  const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';
  const gaps: string[] = [];
  if (blank(facts.patientName)) gaps.push('patient name');
  if (blank(facts.patientAddress)) gaps.push('patient address');
  if (blank(facts.date)) gaps.push('date');
  if (facts.quantity === null || facts.quantity === undefined || !Number.isFinite(facts.quantity))
    gaps.push('quantity');
  if (blank(facts.administeredBy)) gaps.push('administered by');
  return gaps;
}

export const ledgerRules: RuleMetadata[] = [
  {
    id: 'ledger.initial-inventory',
    area: 'ledger',
    title: 'Initial inventory on the first day of handling (a zero inventory if none on hand)',
    citation: inventoryCitation,
  },
  {
    id: 'ledger.inventory-interval',
    area: 'ledger',
    title: 'Next inventory due within the interval of the previous one (federal: biennial)',
    citation: inventoryCitation,
    setting: { key: 'ledger.inventoryIntervalMonths', default: 24, unit: 'months' },
  },
  {
    id: 'ledger.inventory-opening-or-close',
    area: 'ledger',
    title: 'An inventory notes the date and whether it was taken at the opening or close of business',
    citation: inventoryCitation,
  },
  {
    id: 'ledger.opened-container-estimate',
    area: 'ledger',
    title: 'Schedule III opened containers: estimated count allowed, exact above 1,000 tablets or capsules',
    citation: countMethodCitation,
  },
  {
    id: 'ledger.iowa-inventory',
    area: 'ledger',
    title: 'Iowa: annual inventory, exact counts except non-incremented liquids (nearest ¼ container)',
    citation: iowaCitation,
    setting: { key: 'ledger.jurisdiction', default: 'federal' },
  },
  {
    id: 'ledger.count-discrepancy',
    area: 'ledger',
    title:
      'A physical count differing from the book balance is a discrepancy, resolved by an adjustment or a loss report, never silently',
    citation: continuingCitation,
  },
  {
    id: 'ledger.estimate-tolerance',
    area: 'ledger',
    title: 'How far an estimated count may differ from the book balance (none in the reference)',
    citation: cite('6', 'The reference allows estimates but gives no tolerance', 'unconfirmed'),
    setting: { key: 'ledger.estimateToleranceQuantity', default: null, unit: 'lot unit' },
  },
  {
    id: 'ledger.retention',
    area: 'ledger',
    title: 'Ledger records and inventories kept at least 2 years (a state may require more)',
    citation: retentionCitation,
    setting: { key: 'ledger.retentionYears', default: 2, unit: 'years' },
  },
  {
    id: 'ledger.dispenser-record',
    area: 'ledger',
    title: 'An administration record names the patient and address, date, quantity and who administered',
    citation: dispenserCitation,
  },
  {
    id: 'ledger.theft-loss-deadlines',
    area: 'ledger',
    title:
      'Theft or significant loss: Field Division notice within 1 business day, DEA Form 106 within 45 days',
    citation: lossCitation,
  },
];
