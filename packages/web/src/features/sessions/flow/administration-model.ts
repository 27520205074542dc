import {
  calculateDose,
  type DoseCalculation,
  type DosingLimits,
  esketamineDeviceMg,
  type Product,
  type Route,
} from '@kapstone/clinical';
import { localInputValue } from '../../screening/vitals-form-model.ts';

/**
 * The administration form's pure parts: which ledger lots may be drawn, the dose and volume the order comes
 * to with the chosen lot, whether another dose fits the plan's maximum, when the next esketamine device may
 * be given, and the remainder to waste. The server repeats every check with the clinic's own limits (its
 * answer is final); the form only shows the nurse the same numbers before they press the button.
 */

/** A lot the ledger can dispense from (the shape of `listDispensableLots`). */
export interface DispensableLot {
  id: string;
  product: string;
  concentrationMgPerMl: number | null;
  /** mg in one unit of the lot (per mL, per device, per troche); the ledger derives mg from it. */
  mgPerUnit?: number | null;
  unit: string;
  lotNumber: string;
  expiresOn: string;
  balance: number;
  containerSize?: number | null;
}

/** The order for this session as the plan gives it. */
export interface PlanOrder {
  route: Route;
  product: Product;
  /** mg/kg for weight-based routes, mg otherwise. */
  dose: { value: number; unit: 'mg/kg' | 'mg' };
  maximumDose: { value: number; unit: 'mg/kg' | 'mg' } | null;
  weightKg: number | null;
}

/** A dose already given in this session (for the running total and the device spacing). */
export interface GivenDose {
  doseMg: number;
  startedAt: string;
  /** Esketamine: the devices this administration used (28 mg each). */
  devices?: number | null;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** Lots the form offers: the product of the order, not expired on the day, with stock; soonest expiry first. */
export function lotChoices(
  lots: readonly DispensableLot[],
  product: Product,
  today: string,
): DispensableLot[] {
  return lots
    .filter((lot) => lot.product === product && lot.expiresOn >= today && lot.balance > 0)
    .sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.lotNumber.localeCompare(b.lotNumber));
}

/** "1.2 mL", "2 devices", "1 troche": the ledger counts devices and troches in whole units. */
export function quantityLabel(quantity: number, unit: string): string {
  const value = round(quantity, 3);
  if (unit === 'mL') return `${value} mL`;
  const singular = unit.replace(/s$/, '');
  return `${value} ${value === 1 ? singular : `${singular}s`}`;
}

/** "Lot K1234 · 50 mg/mL · expires 2027-03-31 · 9.2 mL in stock" */
export function lotLabel(lot: DispensableLot): string {
  const strength = lot.concentrationMgPerMl !== null ? ` · ${lot.concentrationMgPerMl} mg/mL` : '';
  return `Lot ${lot.lotNumber}${strength} · expires ${lot.expiresOn} · ${quantityLabel(lot.balance, lot.unit)} in stock`;
}

/** The planned dose in mg for the weight on file (the maximum uses the same conversion). */
export function doseInMg(
  dose: { value: number; unit: 'mg/kg' | 'mg' },
  weightKg: number | null,
): number | null {
  if (dose.unit === 'mg') return dose.value;
  if (weightKg === null || !(weightKg > 0)) return null;
  return round(dose.value * weightKg, 1);
}

export interface DosePreview {
  calculation: DoseCalculation;
  /** What the ledger draw will be, in the lot's unit (mL for a vial, devices for the nasal spray). */
  drawQuantity: number | null;
  drawUnit: string | null;
  /** The mg given in this session before this dose, and the plan's maximum in mg. */
  givenBeforeMg: number;
  maximumMg: number | null;
  /** Set when this dose would take the session above the plan's maximum. */
  aboveMaximum: string | null;
  /** Set when the lot holds less than the draw. */
  notEnoughStock: string | null;
}

/**
 * The dose and volume with the chosen lot: `calculateDose` on the order (mg/kg × weight, volume from the
 * concentration, whole 28 mg devices), then the plan's maximum over the whole session and the lot's stock.
 */
export function previewDose(input: {
  order: PlanOrder;
  /** A dose other than the plan's starting one (an additional dose); in the order's unit. */
  doseValue?: number | null;
  lot: DispensableLot | null;
  given: readonly GivenDose[];
  limits?: DosingLimits;
}): DosePreview {
  const { order, lot } = input;
  const value = input.doseValue ?? order.dose.value;
  const calculation = calculateDose(
    {
      product: order.product,
      route: order.route,
      ...(order.weightKg !== null ? { weightKg: order.weightKg } : {}),
      ...(order.dose.unit === 'mg/kg' ? { mgPerKg: value } : { doseMg: value }),
      ...(lot?.concentrationMgPerMl != null && order.product !== 'esketamine'
        ? { concentrationMgPerMl: lot.concentrationMgPerMl }
        : {}),
    },
    input.limits,
  );
  const givenBeforeMg = round(
    input.given.reduce((total, dose) => total + dose.doseMg, 0),
    1,
  );
  const maximumMg = order.maximumDose ? doseInMg(order.maximumDose, order.weightKg) : null;
  const totalMg = round(givenBeforeMg + calculation.doseMg, 1);
  const aboveMaximum =
    maximumMg !== null && calculation.level !== 'blocked' && totalMg > maximumMg
      ? `This dose brings the session to ${totalMg} mg, above the plan's maximum of ${maximumMg} mg.`
      : null;
  let drawQuantity: number | null = null;
  let drawUnit: string | null = lot?.unit ?? null;
  if (calculation.level !== 'blocked') {
    if (order.product === 'esketamine') {
      drawQuantity = calculation.devices ?? null;
      drawUnit = lot?.unit ?? 'devices';
    } else if (calculation.volumeMl !== undefined) {
      drawQuantity = calculation.volumeMl;
      drawUnit = 'mL';
    } else if (lot && lot.concentrationMgPerMl === null && lot.mgPerUnit) {
      // Troches are counted in units of the lot's strength (a 200 mg troche: 300 mg is 1.5 troches).
      drawQuantity = round(calculation.doseMg / lot.mgPerUnit, 3);
    }
  }
  const notEnoughStock =
    lot && drawQuantity !== null && drawQuantity > lot.balance
      ? `Lot ${lot.lotNumber} holds ${quantityLabel(lot.balance, lot.unit)}; this dose needs ${drawQuantity}.`
      : null;
  return {
    calculation,
    drawQuantity,
    drawUnit,
    givenBeforeMg,
    maximumMg,
    aboveMaximum,
    notEnoughStock,
  };
}

/** SPRAVATO devices are given 5 minutes apart (clinical-reference 2.5, US PI). */
export const esketamineDeviceSpacingMinutes = 5;

/**
 * When the next esketamine device may be given: 5 minutes after each device of the last administration
 * (two devices recorded together started at t: the next from t + 10 min), as the server counts it. Null when
 * there is nothing to wait for (no device yet, or another product).
 */
export function nextDeviceAllowedAt(product: Product, given: readonly GivenDose[]): Date | null {
  if (product !== 'esketamine' || given.length === 0) return null;
  const last = given.reduce((a, b) =>
    new Date(b.startedAt).getTime() > new Date(a.startedAt).getTime() ? b : a,
  );
  const devices = last.devices ?? devicesFor(last.doseMg);
  return new Date(
    new Date(last.startedAt).getTime() + esketamineDeviceSpacingMinutes * 60_000 * Math.max(1, devices),
  );
}

/** Devices an esketamine order comes to (56 mg → 2). */
export function devicesFor(doseMg: number): number {
  return Math.round(doseMg / esketamineDeviceMg);
}

/** What the nurse typed in the administration form. */
export interface AdministrationFormValues {
  lotId: string;
  /** The dose in the order's unit; empty = the plan's dose. */
  doseValue: string;
  site: string;
  /** `datetime-local` values. */
  startedAt: string;
  endedAt: string;
  secondSignerUsername: string;
  secondSignerPassword: string;
  note: string;
}

/**
 * What the server takes (sessions.schemas.ts `administrationInputSchema`): the dose in mg and the lot; it
 * computes the volume and the ledger draw again itself, with the clinic's limits.
 */
export interface AdministrationSubmission {
  id: string;
  lotId: string;
  doseMg: number;
  site: string | null;
  startedAt: string;
  endedAt: string | null;
  secondSigner: { username: string; password: string } | null;
  note: string | null;
}

/** IV infusions run over 40 minutes by default (clinical-reference 2.1, Fava 2020). */
export const defaultInfusionMinutes = 40;

/** Injection sites offered for IM; the nasal spray and the sublingual routes have none to choose. */
export const imSites = [
  'Left deltoid',
  'Right deltoid',
  'Left thigh (vastus lateralis)',
  'Right thigh (vastus lateralis)',
];

export function toAdministrationSubmission(input: {
  values: AdministrationFormValues;
  order: PlanOrder;
  preview: DosePreview;
  id: string;
  secondSignerRequired: boolean;
}): { submission: AdministrationSubmission | null; errors: Record<string, string> } {
  const { values, order, preview } = input;
  const errors: Record<string, string> = {};
  if (!values.lotId) errors.lotId = 'Choose the lot you are drawing from.';
  if (values.doseValue.trim() !== '') {
    const typed = Number(values.doseValue.trim().replace(',', '.'));
    if (!Number.isFinite(typed) || typed <= 0) errors.doseValue = 'Enter the dose as a positive number.';
  }
  if (preview.calculation.level === 'blocked')
    errors.doseValue = preview.calculation.messages.at(-1) ?? 'This dose cannot be given.';
  else if (preview.aboveMaximum) errors.doseValue = preview.aboveMaximum;
  if (preview.notEnoughStock) errors.lotId = preview.notEnoughStock;
  if (preview.drawQuantity === null && !errors.doseValue && !errors.lotId)
    errors.lotId = 'The lot has no concentration on file: the volume cannot be computed.';
  if (order.route === 'im' && !values.site.trim()) errors.site = 'Choose the injection site.';
  const started = new Date(values.startedAt);
  if (!values.startedAt || Number.isNaN(started.getTime())) errors.startedAt = 'Enter when the dose started.';
  let ended: Date | null = null;
  if (values.endedAt) {
    ended = new Date(values.endedAt);
    if (Number.isNaN(ended.getTime())) errors.endedAt = 'Enter a valid end time.';
    else if (!Number.isNaN(started.getTime()) && ended < started)
      errors.endedAt = 'The end cannot be before the start.';
  } else if (order.route === 'iv') errors.endedAt = 'Enter when the infusion ends (40 minutes by default).';
  let secondSigner: AdministrationSubmission['secondSigner'] = null;
  if (input.secondSignerRequired || values.secondSignerUsername.trim() || values.secondSignerPassword) {
    if (!values.secondSignerUsername.trim())
      errors.secondSignerUsername = 'The clinic requires a second signer: enter their email.';
    if (!values.secondSignerPassword)
      errors.secondSignerPassword = 'The second signer enters their password.';
    secondSigner = { username: values.secondSignerUsername.trim(), password: values.secondSignerPassword };
  }
  if (Object.keys(errors).length > 0) return { submission: null, errors };
  return {
    submission: {
      id: input.id,
      lotId: values.lotId,
      doseMg: preview.calculation.doseMg,
      site: values.site.trim() || null,
      startedAt: started.toISOString(),
      endedAt: ended ? ended.toISOString() : null,
      secondSigner,
      note: values.note.trim() || null,
    },
    errors,
  };
}

/** The infusion end a start implies (start + 40 min), as a `datetime-local` value. */
export function infusionEnd(startedAtLocal: string, minutes = defaultInfusionMinutes): string {
  const start = new Date(startedAtLocal);
  if (Number.isNaN(start.getTime())) return '';
  return localInputValue(new Date(start.getTime() + minutes * 60_000));
}

/**
 * The remainder of an opened container after the draws of this session, the amount to waste by default
 * (single-use vials). Null when the container size is unknown: the nurse measures and types it.
 */
export function remainderToWaste(
  containerSize: number | null | undefined,
  drawn: readonly number[],
): number | null {
  if (containerSize == null || !(containerSize > 0)) return null;
  const left = round(containerSize - drawn.reduce((total, q) => total + q, 0), 2);
  return left > 0 ? left : 0;
}

export interface WasteFormValues {
  lotId: string;
  quantity: string;
  reason: string;
  witnessUsername: string;
  witnessPassword: string;
}

/** The ledger's waste request (ledger.schemas.ts `wasteInputSchema`). */
export interface WasteSubmission {
  id: string;
  lotId: string;
  sessionId?: string;
  administrationId?: string;
  quantity: number;
  reason: string;
  witness: { username: string; password: string };
}

/** The waste of a remainder: a positive quantity within the lot's stock, a reason, a witness who signs. */
export function toWasteSubmission(input: {
  values: WasteFormValues;
  lot: DispensableLot | null;
  id: string;
  signedInUsername: string;
  sessionId?: string;
  administrationId?: string;
}): { submission: WasteSubmission | null; errors: Record<string, string> } {
  const { values, lot } = input;
  const errors: Record<string, string> = {};
  if (!values.lotId || !lot) errors.lotId = 'Choose the lot the remainder belongs to.';
  const quantity = Number(values.quantity.trim().replace(',', '.'));
  if (values.quantity.trim() === '' || !Number.isFinite(quantity) || quantity <= 0)
    errors.quantity = 'Enter the quantity wasted.';
  else if (lot && quantity > lot.balance)
    errors.quantity = `Lot ${lot.lotNumber} holds ${quantityLabel(lot.balance, lot.unit)}; you cannot waste more.`;
  if (!values.reason.trim()) errors.reason = 'Say why it is wasted (e.g. remainder of a single-use vial).';
  const witness = values.witnessUsername.trim();
  if (!witness) errors.witnessUsername = 'Enter the witness’s email.';
  else if (witness.toLowerCase() === input.signedInUsername.trim().toLowerCase())
    errors.witnessUsername = 'The witness must be a different person from you.';
  if (!values.witnessPassword) errors.witnessPassword = 'The witness enters their password.';
  if (Object.keys(errors).length > 0) return { submission: null, errors };
  return {
    submission: {
      id: input.id,
      lotId: values.lotId,
      ...(input.sessionId ? { sessionId: input.sessionId } : {}),
      ...(input.administrationId ? { administrationId: input.administrationId } : {}),
      quantity,
      reason: values.reason.trim(),
      witness: { username: witness, password: values.witnessPassword },
    },
    errors,
  };
}
