import { localInputValue } from '../screening/vitals-form-model.ts';
import type {
  AdjustmentBody,
  BusinessTime,
  CorrectionBody,
  CountBody,
  CountKind,
  CountLine,
  InventoryStatus,
  LedgerEntryKind,
  LedgerForm,
  LedgerLot,
  LedgerProductKind,
  LedgerSettingsBody,
  LedgerUnit,
  LocationBody,
  LossBody,
  ProductBody,
  ReceiptBody,
  TransferBody,
  WasteBody,
} from './ledger.types.ts';

/**
 * The ledger screens' pure parts: typed values → request bodies (shape only: whether stock suffices, who may
 * witness and what a count means is the server's answer, shown next to the field it names), labels and
 * formatting. Field names in `errors` are the server's field paths, so both kinds of message land alike.
 */

export type FormErrors = Record<string, string>;
type Result<T> = { body: T; errors: FormErrors } | { body: null; errors: FormErrors };

const done = <T>(body: T, errors: FormErrors): Result<T> =>
  Object.keys(errors).length > 0 ? { body: null, errors } : { body, errors };

// ---- Labels and formatting ----------------------------------------------------------------------------

export const entryKindLabel: Record<LedgerEntryKind, string> = {
  receipt: 'Receipt',
  administration: 'Administered',
  waste: 'Wasted',
  transfer: 'Transfer / return',
  loss: 'Loss or theft',
  adjustment: 'Adjustment',
  correction: 'Correction',
};

export const productKindLabel: Record<LedgerProductKind, string> = {
  'ketamine-racemic': 'Ketamine (racemic)',
  esketamine: 'Esketamine (SPRAVATO)',
};

export const formLabel: Record<LedgerForm, string> = {
  vial: 'Vial (mL)',
  'nasal-spray': 'Nasal spray (mL)',
  'nasal-device': 'Nasal device (devices)',
  troche: 'Troche (troches)',
};

export const countKindLabel: Record<CountKind, string> = {
  count: 'Physical count',
  'initial-inventory': 'Initial inventory',
  'biennial-inventory': 'Biennial inventory',
};

const unitPlural: Record<LedgerUnit, [string, string]> = {
  mL: ['mL', 'mL'],
  device: ['device', 'devices'],
  troche: ['troche', 'troches'],
};

/** A quantity at the ledger's precision (3 decimals), without trailing zeros. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return String(rounded);
}

export function formatQuantity(value: number, unit: LedgerUnit): string {
  const [one, many] = unitPlural[unit];
  return `${formatNumber(value)} ${Math.abs(value) === 1 ? one : many}`;
}

/** A signed change: "+20 mL", "−1.5 mL" (a true minus sign, read aloud as minus). */
export function formatChange(value: number, unit: LedgerUnit): string {
  const text = formatQuantity(Math.abs(value), unit);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

export function formatMg(value: number): string {
  return `${formatNumber(value)} mg`;
}

// ---- Parsing ------------------------------------------------------------------------------------------

/** A positive amount in the lot's unit: at most 3 decimals for mL, whole devices or troches. */
export function parseQuantity(
  text: string,
  unit: LedgerUnit,
  options: { allowZero?: boolean; signed?: boolean } = {},
): { value: number } | { error: string } {
  const cleaned = text.trim().replace(',', '.').replace('−', '-');
  if (cleaned === '') return { error: 'Enter an amount.' };
  const value = Number(cleaned);
  if (!Number.isFinite(value)) return { error: 'Enter a number.' };
  if (!options.signed && value < 0) return { error: 'Enter an amount of zero or more.' };
  if (value === 0 && !options.allowZero)
    return {
      error: options.signed ? 'An adjustment changes the balance: not zero.' : 'Enter an amount above zero.',
    };
  if (unit !== 'mL' && !Number.isInteger(value)) return { error: `Count whole ${unitPlural[unit][1]}.` };
  if (Math.abs(Math.round(value * 1000) - value * 1000) > 1e-6) return { error: 'At most three decimals.' };
  return { value };
}

function parseWhole(text: string, min: number): { value: number } | { error: string } {
  const cleaned = text.trim();
  if (cleaned === '') return { error: 'Enter a number.' };
  const value = Number(cleaned);
  if (!Number.isInteger(value) || value < min)
    return { error: min === 0 ? 'Zero or more, whole.' : 'A whole number, at least 1.' };
  return { value };
}

/** A `datetime-local` value (browser time) as an ISO instant, or null. */
export function instantOf(local: string): string | null {
  if (!local) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const required = (errors: FormErrors, path: string, value: string, message: string) => {
  if (value.trim() === '') errors[path] = message;
  return value.trim();
};

const deaPattern = /^[A-Z]{2}[0-9]{7}$/;
function dea(errors: FormErrors, path: string, value: string): string {
  const cleaned = value.trim().toUpperCase();
  if (!deaPattern.test(cleaned)) errors[path] = 'A DEA number is two letters and seven digits.';
  return cleaned;
}

function notFuture(errors: FormErrors, path: string, local: string, now: Date, what: string): string {
  const instant = instantOf(local);
  if (!instant) {
    errors[path] = `Enter when it ${what}.`;
    return '';
  }
  if (new Date(instant).getTime() > now.getTime() + 5 * 60_000) errors[path] = 'This is in the future.';
  return instant;
}

// ---- Entry forms --------------------------------------------------------------------------------------

export interface ReceiptValues {
  locationId: string;
  productId: string;
  lotNumber: string;
  expiresOn: string;
  containers: string;
  supplierName: string;
  supplierAddress: string;
  supplierDea: string;
  invoiceNumber: string;
  receivedAt: string;
}

export function emptyReceipt(locationId: string, now: Date = new Date()): ReceiptValues {
  return {
    locationId,
    productId: '',
    lotNumber: '',
    expiresOn: '',
    containers: '',
    supplierName: '',
    supplierAddress: '',
    supplierDea: '',
    invoiceNumber: '',
    receivedAt: localInputValue(now),
  };
}

/** Containers received (21 CFR 1304.22(c)(3)): supplier name, address and DEA number, invoice, lot, expiry. */
export function toReceipt(values: ReceiptValues, id: string, now: Date = new Date()): Result<ReceiptBody> {
  const errors: FormErrors = {};
  if (!values.locationId) errors.locationId = 'Choose the registered location.';
  if (!values.productId) errors.productId = 'Choose the product (add it first if it is new).';
  const lotNumber = required(errors, 'lotNumber', values.lotNumber, 'Enter the lot number.');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.expiresOn)) errors.expiresOn = 'Enter the expiry date.';
  const containers = parseWhole(values.containers, 1);
  if ('error' in containers) errors.containers = containers.error;
  const supplierName = required(errors, 'supplier.name', values.supplierName, "Enter the supplier's name.");
  const supplierAddress = required(
    errors,
    'supplier.address',
    values.supplierAddress,
    "Enter the supplier's address.",
  );
  const supplierDea = dea(errors, 'supplier.deaNumber', values.supplierDea);
  const invoiceNumber = required(
    errors,
    'invoiceNumber',
    values.invoiceNumber,
    'Enter the invoice or order number.',
  );
  const receivedAt = notFuture(errors, 'receivedAt', values.receivedAt, now, 'was received');
  return done(
    {
      id,
      locationId: values.locationId,
      productId: values.productId,
      lotNumber,
      expiresOn: values.expiresOn,
      containers: 'value' in containers ? containers.value : 0,
      supplier: { name: supplierName, address: supplierAddress, deaNumber: supplierDea },
      invoiceNumber,
      receivedAt,
    },
    errors,
  );
}

export interface WasteValues {
  quantity: string;
  reason: string;
  witnessEmail: string;
  witnessPassword: string;
  occurredAt: string;
}

export const emptyWaste = (now: Date = new Date()): WasteValues => ({
  quantity: '',
  reason: '',
  witnessEmail: '',
  witnessPassword: '',
  occurredAt: localInputValue(now),
});

/**
 * Drug destroyed before a second person (clinical-reference 6: two signatures by default). The witness signs
 * with their own password; the server refuses the recorder as their own witness.
 */
export function toWaste(
  values: WasteValues,
  lot: Pick<LedgerLot, 'id' | 'unit' | 'balance'>,
  id: string,
  signedInEmail: string,
  now: Date = new Date(),
): Result<WasteBody> {
  const errors: FormErrors = {};
  const quantity = parseQuantity(values.quantity, lot.unit);
  if ('error' in quantity) errors.quantity = quantity.error;
  else if (quantity.value > lot.balance)
    errors.quantity = `The lot holds ${formatQuantity(lot.balance, lot.unit)}.`;
  const reason = required(errors, 'reason', values.reason, 'Say why and how it was wasted.');
  const username = required(errors, 'witness.username', values.witnessEmail, "Enter the witness's email.");
  if (username && username.toLowerCase() === signedInEmail.toLowerCase())
    errors['witness.username'] = 'The witness is a second person, not you.';
  if (values.witnessPassword === '') errors['witness.password'] = 'The witness enters their password.';
  const occurredAt = notFuture(errors, 'occurredAt', values.occurredAt, now, 'was wasted');
  return done(
    {
      id,
      lotId: lot.id,
      quantity: 'value' in quantity ? quantity.value : 0,
      witness: { username, password: values.witnessPassword },
      reason,
      occurredAt,
    },
    errors,
  );
}

export interface TransferValues {
  quantity: string;
  containers: string;
  recipientName: string;
  recipientAddress: string;
  recipientDea: string;
  documentNumber: string;
  reason: string;
  occurredAt: string;
}

export const emptyTransfer = (now: Date = new Date()): TransferValues => ({
  quantity: '',
  containers: '',
  recipientName: '',
  recipientAddress: '',
  recipientDea: '',
  documentNumber: '',
  reason: '',
  occurredAt: localInputValue(now),
});

/** Stock returned to a reverse distributor (its name, address, DEA number; the date and quantity). */
export function toTransfer(
  values: TransferValues,
  lot: Pick<LedgerLot, 'id' | 'unit' | 'balance'>,
  id: string,
  now: Date = new Date(),
): Result<TransferBody> {
  const errors: FormErrors = {};
  const quantity = parseQuantity(values.quantity, lot.unit);
  if ('error' in quantity) errors.quantity = quantity.error;
  else if (quantity.value > lot.balance)
    errors.quantity = `The lot holds ${formatQuantity(lot.balance, lot.unit)}.`;
  let containers: number | undefined;
  if (values.containers.trim() !== '') {
    const parsed = parseWhole(values.containers, 1);
    if ('error' in parsed) errors.containers = parsed.error;
    else containers = parsed.value;
  }
  const name = required(errors, 'recipient.name', values.recipientName, "Enter the recipient's name.");
  const address = required(
    errors,
    'recipient.address',
    values.recipientAddress,
    "Enter the recipient's address.",
  );
  const deaNumber = dea(errors, 'recipient.deaNumber', values.recipientDea);
  const reason = required(
    errors,
    'reason',
    values.reason,
    'Say why it leaves (expired, recalled, unwanted).',
  );
  const occurredAt = notFuture(errors, 'occurredAt', values.occurredAt, now, 'left');
  const documentNumber = values.documentNumber.trim();
  return done(
    {
      id,
      lotId: lot.id,
      quantity: 'value' in quantity ? quantity.value : 0,
      ...(containers !== undefined ? { containers } : {}),
      recipient: { name, address, deaNumber },
      ...(documentNumber ? { documentNumber } : {}),
      reason,
      occurredAt,
    },
    errors,
  );
}

export interface LossValues {
  quantity: string;
  kind: 'theft' | 'loss' | 'loss-in-transit';
  discoveredAt: string;
  circumstances: string;
  significant: boolean;
  fieldOfficeNotifiedAt: string;
  policeNotified: boolean;
  policeReportNumber: string;
}

export const emptyLoss = (now: Date = new Date()): LossValues => ({
  quantity: '',
  kind: 'loss',
  discoveredAt: localInputValue(now),
  circumstances: '',
  significant: false,
  fieldOfficeNotifiedAt: '',
  policeNotified: false,
  policeReportNumber: '',
});

/** A theft or loss with the data DEA Form 106 asks for (21 CFR 1301.76(b)); any theft is reportable. */
export function toLoss(
  values: LossValues,
  lot: Pick<LedgerLot, 'id' | 'unit' | 'balance'>,
  id: string,
  now: Date = new Date(),
): Result<LossBody> {
  const errors: FormErrors = {};
  const quantity = parseQuantity(values.quantity, lot.unit);
  if ('error' in quantity) errors.quantity = quantity.error;
  else if (quantity.value > lot.balance)
    errors.quantity = `The lot holds ${formatQuantity(lot.balance, lot.unit)}.`;
  const discoveredAt = notFuture(errors, 'report.discoveredAt', values.discoveredAt, now, 'was discovered');
  const circumstances = required(
    errors,
    'report.circumstances',
    values.circumstances,
    'Say what happened, as far as known.',
  );
  let notifiedAt: string | null = null;
  if (values.fieldOfficeNotifiedAt) {
    notifiedAt = instantOf(values.fieldOfficeNotifiedAt);
    if (!notifiedAt) errors['report.deaFieldOfficeNotifiedAt'] = 'Enter when the DEA field office was told.';
  }
  const policeReportNumber = values.policeReportNumber.trim();
  return done(
    {
      id,
      lotId: lot.id,
      quantity: 'value' in quantity ? quantity.value : 0,
      report: {
        kind: values.kind,
        discoveredAt,
        circumstances,
        // Any theft is reportable whatever the amount (clinical-reference 6).
        significant: values.kind === 'theft' ? true : values.significant,
        deaFieldOfficeNotifiedAt: notifiedAt,
        policeNotified: values.policeNotified,
        policeReportNumber: values.policeNotified && policeReportNumber ? policeReportNumber : null,
      },
    },
    errors,
  );
}

export interface AdjustmentValues {
  direction: 'remove' | 'add';
  quantity: string;
  reason: string;
  password: string;
}

export const emptyAdjustment = (): AdjustmentValues => ({
  direction: 'remove',
  quantity: '',
  reason: '',
  password: '',
});

/** An adjustment with a reason, signed with the admin's own password. */
export function toAdjustment(
  values: AdjustmentValues,
  lot: Pick<LedgerLot, 'id' | 'unit' | 'balance'>,
  id: string,
): Result<AdjustmentBody> {
  const errors: FormErrors = {};
  const quantity = parseQuantity(values.quantity, lot.unit);
  let signed = 0;
  if ('error' in quantity) errors.quantity = quantity.error;
  else {
    signed = values.direction === 'remove' ? -quantity.value : quantity.value;
    if (lot.balance + signed < 0) errors.quantity = `The lot holds ${formatQuantity(lot.balance, lot.unit)}.`;
  }
  const reason = required(errors, 'reason', values.reason, 'Give the reason for the adjustment.');
  if (values.password === '') errors.password = 'Sign with your password.';
  return done({ id, lotId: lot.id, quantity: signed, reason, password: values.password }, errors);
}

export function toCorrection(
  values: { reason: string; password: string },
  reversesId: string,
  id: string,
): Result<CorrectionBody> {
  const errors: FormErrors = {};
  const reason = required(errors, 'reason', values.reason, 'Say what was wrong with the entry.');
  if (values.password === '') errors.password = 'Sign with your password.';
  return done({ id, reversesId, reason, password: values.password }, errors);
}

// ---- Setup forms --------------------------------------------------------------------------------------

export function toLocation(values: LocationBody): Result<LocationBody> {
  const errors: FormErrors = {};
  const name = required(errors, 'name', values.name, 'Enter the location name.');
  const address = required(errors, 'address', values.address, 'Enter the address registered with the DEA.');
  const deaRegistration = dea(errors, 'deaRegistration', values.deaRegistration);
  return done({ name, address, deaRegistration }, errors);
}

export interface ProductValues {
  product: LedgerProductKind;
  name: string;
  ndc: string;
  form: LedgerForm;
  concentrationMgPerUnit: string;
  containerSize: string;
}

export const unitOfForm = (form: LedgerForm): LedgerUnit =>
  form === 'nasal-device' ? 'device' : form === 'troche' ? 'troche' : 'mL';

export function toProduct(values: ProductValues): Result<ProductBody> {
  const errors: FormErrors = {};
  const name = required(errors, 'name', values.name, 'Enter the product name as on the label.');
  const ndc = required(errors, 'ndc', values.ndc, 'Enter the NDC.');
  const concentration = parseQuantity(values.concentrationMgPerUnit, 'mL');
  if ('error' in concentration) errors.concentrationMgPerUnit = concentration.error;
  const size = parseQuantity(values.containerSize, 'mL');
  if ('error' in size) errors.containerSize = size.error;
  return done(
    {
      product: values.product,
      name,
      ndc,
      form: values.form,
      concentrationMgPerUnit: 'value' in concentration ? concentration.value : 0,
      containerSize: 'value' in size ? size.value : 0,
    },
    errors,
  );
}

// ---- Counts and inventories ---------------------------------------------------------------------------

export interface CountLineValues {
  lotId: string;
  sealedContainers: string;
  openedContainers: string;
  openedQuantity: string;
  method: 'exact' | 'estimated';
}

export interface CountValues {
  kind: CountKind;
  takenAt: string;
  businessTime: BusinessTime | '';
  note: string;
  lines: CountLineValues[];
}

/** A count form with one line per lot of the location (what the book says is there, to count). */
export function emptyCount(
  kind: CountKind,
  lots: readonly Pick<LedgerLot, 'id'>[],
  now: Date = new Date(),
): CountValues {
  return {
    kind,
    takenAt: localInputValue(now),
    businessTime: '',
    note: '',
    lines: lots.map((lot) => ({
      lotId: lot.id,
      sealedContainers: '',
      openedContainers: '0',
      openedQuantity: '0',
      method: 'exact',
    })),
  };
}

/** What a line adds up to (sealed × container size + opened contents), as the nurse types. Null until valid. */
export function countedQuantity(
  line: CountLineValues,
  lot: Pick<LedgerLot, 'containerSize' | 'unit'>,
): number | null {
  const sealed = parseWhole(line.sealedContainers, 0);
  const opened = parseQuantity(line.openedQuantity || '0', lot.unit, { allowZero: true });
  if ('error' in sealed || 'error' in opened) return null;
  return Math.round((sealed.value * lot.containerSize + opened.value) * 1000) / 1000;
}

/** A physical count sends the rows with a number; an inventory sends every row (blank is zero). */
export function isLineSent(kind: CountKind, line: CountLineValues): boolean {
  return (
    kind !== 'count' || line.sealedContainers.trim() !== '' || (line.openedContainers.trim() || '0') !== '0'
  );
}

/**
 * A count or inventory (21 CFR 1304.11). For a physical count, only lines with a number are sent (count some
 * lots); an inventory sends every line, since it lists every lot on hand. The server compares each with the
 * book balance and says what a difference means.
 */
export function toCount(
  values: CountValues,
  lots: readonly Pick<LedgerLot, 'id' | 'unit' | 'containerSize'>[],
  locationId: string,
  id: string,
  now: Date = new Date(),
): Result<CountBody> {
  const errors: FormErrors = {};
  const takenAt = notFuture(errors, 'takenAt', values.takenAt, now, 'was counted');
  if (values.kind !== 'count' && !values.businessTime)
    errors.businessTime = 'Say whether it was taken at the opening or the close of business.';
  const lotById = new Map(lots.map((l) => [l.id, l]));
  const lines: CountBody['lines'] = [];
  values.lines.forEach((line) => {
    const lot = lotById.get(line.lotId);
    if (!lot) return;
    if (!isLineSent(values.kind, line)) return;
    const i = lines.length;
    const sealed = parseWhole(line.sealedContainers || '0', 0);
    if ('error' in sealed) errors[`lines.${i}.sealedContainers`] = sealed.error;
    const openedContainers = parseWhole(line.openedContainers || '0', 0);
    if ('error' in openedContainers) errors[`lines.${i}.openedContainers`] = openedContainers.error;
    const openedQuantity = parseQuantity(line.openedQuantity || '0', lot.unit, { allowZero: true });
    if ('error' in openedQuantity) errors[`lines.${i}.openedQuantity`] = openedQuantity.error;
    const opened = 'value' in openedContainers ? openedContainers.value : 0;
    const contents = 'value' in openedQuantity ? openedQuantity.value : 0;
    if (opened === 0 && contents > 0)
      errors[`lines.${i}.openedContainers`] =
        'Contents of opened containers need at least one opened container.';
    if (contents > opened * lot.containerSize + 1e-9 && opened > 0)
      errors[`lines.${i}.openedQuantity`] =
        `${opened} opened container(s) hold at most ${formatNumber(opened * lot.containerSize)}.`;
    lines.push({
      lotId: lot.id,
      sealedContainers: 'value' in sealed ? sealed.value : 0,
      openedContainers: opened,
      openedQuantity: contents,
      method: opened > 0 ? line.method : 'exact',
    });
  });
  if (values.kind === 'count' && lines.length === 0) errors.lines = 'Count at least one lot.';
  const note = values.note.trim();
  return done(
    {
      id,
      locationId,
      kind: values.kind,
      takenAt,
      ...(values.businessTime ? { businessTime: values.businessTime } : {}),
      ...(note ? { note } : {}),
      lines,
    },
    errors,
  );
}

/**
 * Maps a server error path of a sent count (`lines.<i>.<field>`, i among the lines sent) back to the form's
 * line (by lot), so the message shows beside the right row.
 */
export function countErrorsByLot(
  errors: FormErrors,
  sent: Pick<CountBody, 'lines'>,
): { byLot: Record<string, Record<string, string>>; other: FormErrors } {
  const byLot: Record<string, Record<string, string>> = {};
  const other: FormErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    const match = /^lines\.(\d+)\.(\w+)$/.exec(path);
    const lotId = match ? sent.lines[Number(match[1])]?.lotId : undefined;
    if (match && lotId) {
      byLot[lotId] = { ...byLot[lotId], [match[2]!]: message };
    } else other[path] = message;
  }
  return { byLot, other };
}

/** What to do about a count line, in a clinician's words. */
export function discrepancyLabel(line: Pick<CountLine, 'status' | 'discrepancy' | 'unresolvedQuantity'>): {
  text: string;
  color: string;
} {
  if (line.status === 'none')
    return line.discrepancy.kind === 'match'
      ? { text: 'Matches the book', color: 'green' }
      : { text: 'Within the estimate tolerance', color: 'green' };
  if (line.status === 'resolved') return { text: 'Discrepancy resolved', color: 'teal' };
  return {
    text: line.discrepancy.kind === 'shortage' ? 'Shortage: to resolve' : 'Overage: to resolve',
    color: line.discrepancy.kind === 'shortage' ? 'red' : 'orange',
  };
}

export function inventoryStandingLabel(item: InventoryStatus['items'][number]): {
  text: string;
  color: string;
} {
  if (item.status === 'initial-due') return { text: 'Initial inventory due', color: 'red' };
  if (item.status === 'overdue') return { text: `Overdue since ${item.nextDueDate}`, color: 'red' };
  const days = item.daysRemaining ?? 0;
  return {
    text: `Next due ${item.nextDueDate} (${days} ${days === 1 ? 'day' : 'days'})`,
    color: days <= 30 ? 'orange' : 'gray',
  };
}

// ---- Settings and the dispensing log ------------------------------------------------------------------

export interface SettingsValues {
  jurisdiction: 'federal' | 'iowa';
  inventoryIntervalMonths: string;
  retentionYears: string;
  estimateToleranceQuantity: string;
}

export function toSettings(values: SettingsValues): Result<LedgerSettingsBody> {
  const errors: FormErrors = {};
  let interval: number | null = null;
  if (values.inventoryIntervalMonths.trim() !== '') {
    const parsed = parseWhole(values.inventoryIntervalMonths, 1);
    if ('error' in parsed || parsed.value > 24)
      errors.inventoryIntervalMonths = 'Whole months, 1 to 24 (a clinic may only shorten the interval).';
    else interval = parsed.value;
  }
  const retention = parseWhole(values.retentionYears, 2);
  if ('error' in retention) errors.retentionYears = 'Whole years, at least 2 (21 CFR 1304.04(a)).';
  let tolerance: number | null = null;
  if (values.estimateToleranceQuantity.trim() !== '') {
    const parsed = parseQuantity(values.estimateToleranceQuantity, 'mL', { allowZero: true });
    if ('error' in parsed) errors.estimateToleranceQuantity = parsed.error;
    else tolerance = parsed.value;
  }
  return done(
    {
      jurisdiction: values.jurisdiction,
      inventoryIntervalMonths: interval,
      retentionYears: 'value' in retention ? retention.value : 2,
      estimateToleranceQuantity: tolerance,
    },
    errors,
  );
}

export function dispensingLogQuery(locationId: string, from: string, to: string): FormErrors | null {
  const errors: FormErrors = {};
  if (!locationId) errors.locationId = 'Choose the registered location.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) errors.from = 'Enter the first day.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(to)) errors.to = 'Enter the last day.';
  if (!errors.from && !errors.to && to < from) errors.to = 'The last day is before the first.';
  return Object.keys(errors).length > 0 ? errors : null;
}

/** The first day of the retention window ending today: the default period of the log (the whole of it). */
export function retentionWindowStart(today: string, years: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y - years, m - 1, 1));
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(d, last));
  return date.toISOString().slice(0, 10);
}

// ---- Theft and loss filings ---------------------------------------------------------------------------

export type LossFilingKind = 'field-office-notice' | 'form-106';

export const lossFilingLabel: Record<LossFilingKind, string> = {
  'field-office-notice': 'Written notice to the DEA Field Division Office',
  'form-106': 'DEA Form 106 submitted',
};

/** The DEA field-office notice (1 business day) or the Form 106 (45 days) filed for a theft or loss. */
export function toLossFiling(
  values: { filedAt: string; reference: string },
  kind: LossFilingKind,
  id: string,
  now: Date = new Date(),
): Result<{ id: string; kind: LossFilingKind; filedAt: string; reference?: string }> {
  const errors: FormErrors = {};
  const filedAt = notFuture(errors, 'filedAt', values.filedAt, now, 'was filed');
  const reference = values.reference.trim();
  if (reference.length > 100) errors.reference = 'At most 100 characters.';
  return done({ id, kind, filedAt, ...(reference ? { reference } : {}) }, errors);
}
