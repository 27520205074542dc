/**
 * The controlled-substance ledger's shapes as the screens use them: a hand-kept mirror of the server's zod
 * schemas (modules/ledger/ledger.schemas.ts and ledger-reports.schemas.ts). Quantities are in the lot's unit
 * (mL for vials and sprays, whole devices or troches); mg follow from the product's concentration.
 */

export type LedgerProductKind = 'ketamine-racemic' | 'esketamine';
export type LedgerForm = 'vial' | 'nasal-spray' | 'nasal-device' | 'troche';
export type LedgerUnit = 'mL' | 'device' | 'troche';
export type LedgerEntryKind =
  | 'receipt'
  | 'administration'
  | 'waste'
  | 'transfer'
  | 'loss'
  | 'adjustment'
  | 'correction';

export interface LedgerLocation {
  id: string;
  name: string;
  address: string;
  deaRegistration: string;
  createdAt: string;
  updatedAt: string;
}

export interface LedgerProduct {
  id: string;
  product: LedgerProductKind;
  name: string;
  ndc: string;
  form: LedgerForm;
  unit: LedgerUnit;
  concentrationMgPerUnit: number;
  containerSize: number;
}

export interface LedgerLot {
  id: string;
  locationId: string;
  productId: string;
  product: LedgerProductKind;
  productName: string;
  ndc: string;
  form: LedgerForm;
  unit: LedgerUnit;
  concentrationMgPerUnit: number;
  containerSize: number;
  lotNumber: string;
  expiresOn: string;
  expired: boolean;
  balance: number;
  balanceMg: number;
}

export interface ProductBalance {
  locationId: string;
  productId: string;
  product: LedgerProductKind;
  productName: string;
  ndc: string;
  unit: LedgerUnit;
  concentrationMgPerUnit: number;
  balance: number;
  balanceMg: number;
  lots: number;
}

export interface LossReport {
  kind: 'theft' | 'loss' | 'loss-in-transit';
  discoveredAt: string;
  circumstances: string;
  significant: boolean;
  deaFieldOfficeNotifiedAt: string | null;
  policeNotified: boolean;
  policeReportNumber: string | null;
  form106SubmittedAt: string | null;
}

export interface LedgerEntry {
  id: string;
  kind: LedgerEntryKind;
  locationId: string;
  lot: {
    id: string;
    lotNumber: string;
    expiresOn: string;
    productId: string;
    productName: string;
    ndc: string;
    unit: LedgerUnit;
    concentrationMgPerUnit: number;
  };
  quantity: number;
  quantityMg: number;
  balanceAfter: number;
  occurredAt: string;
  recordedAt: string;
  recordedBy: { id: string; name: string };
  witness: { id: string; name: string } | null;
  signedBy: { id: string; name: string } | null;
  sessionId: string | null;
  administrationId: string | null;
  patientId: string | null;
  containers: number | null;
  counterparty: { name: string; address: string; deaNumber: string | null } | null;
  documentNumber: string | null;
  reason: string | null;
  lossReport: LossReport | null;
  reversesId: string | null;
  reversedById: string | null;
}

// Request bodies ---------------------------------------------------------------------------------------

export interface ReceiptBody {
  id: string;
  locationId: string;
  productId: string;
  lotNumber: string;
  expiresOn: string;
  containers: number;
  supplier: { name: string; address: string; deaNumber: string };
  invoiceNumber: string;
  receivedAt: string;
}

export interface WasteBody {
  id: string;
  lotId: string;
  quantity: number;
  witness: { username: string; password: string };
  reason: string;
  occurredAt?: string;
}

export interface TransferBody {
  id: string;
  lotId: string;
  quantity: number;
  containers?: number;
  recipient: { name: string; address: string; deaNumber: string };
  documentNumber?: string;
  reason: string;
  occurredAt: string;
}

export interface LossBody {
  id: string;
  lotId: string;
  quantity: number;
  report: {
    kind: LossReport['kind'];
    discoveredAt: string;
    circumstances: string;
    significant: boolean;
    deaFieldOfficeNotifiedAt: string | null;
    policeNotified: boolean;
    policeReportNumber: string | null;
  };
  occurredAt?: string;
}

export interface AdjustmentBody {
  id: string;
  lotId: string;
  quantity: number;
  reason: string;
  password: string;
  occurredAt?: string;
}

export interface CorrectionBody {
  id: string;
  reversesId: string;
  reason: string;
  password: string;
}

export interface LocationBody {
  name: string;
  address: string;
  deaRegistration: string;
}

export interface ProductBody {
  product: LedgerProductKind;
  name: string;
  ndc: string;
  form: LedgerForm;
  concentrationMgPerUnit: number;
  containerSize: number;
}

// Counts, inventories, the dispensing log, settings ----------------------------------------------------

export type CountKind = 'count' | 'initial-inventory' | 'biennial-inventory';
export type BusinessTime = 'opening' | 'close';

export interface CountLineBody {
  lotId: string;
  sealedContainers: number;
  openedContainers: number;
  openedQuantity: number;
  method: 'exact' | 'estimated';
}

export interface CountBody {
  id: string;
  locationId: string;
  kind: CountKind;
  takenAt: string;
  businessTime?: BusinessTime | null;
  note?: string | null;
  lines: CountLineBody[];
}

export interface Citation {
  section: string;
  source: string;
  evidence: 'primary' | 'secondary' | 'unconfirmed';
}

export interface LotSummary {
  id: string;
  productId: string;
  product: LedgerProductKind;
  productName: string;
  ndc: string;
  form: LedgerForm;
  unit: LedgerUnit;
  concentrationMgPerUnit: number;
  containerSize: number;
  lotNumber: string;
  expiresOn: string;
}

export interface CountLine {
  lot: LotSummary;
  sealedContainers: number;
  openedContainers: number;
  openedQuantity: number;
  method: 'exact' | 'estimated';
  countedQuantity: number;
  countedMg: number;
  bookBalance: number;
  difference: number;
  discrepancy: {
    kind: 'match' | 'within-estimate' | 'shortage' | 'overage';
    actions: ('adjustment' | 'loss-report')[];
    message: string;
    citation: Citation;
  };
  resolutions: {
    entryId: string;
    kind: LedgerEntryKind;
    quantity: number;
    occurredAt: string;
    recordedBy: string;
    reason: string | null;
    linkedAt: string;
    reversedById: string | null;
  }[];
  resolvedQuantity: number;
  unresolvedQuantity: number;
  status: 'none' | 'open' | 'resolved';
}

export interface LedgerCountSummary {
  id: string;
  location: { id: string; name: string; address: string; deaRegistration: string };
  kind: CountKind;
  takenAt: string;
  takenOn: string;
  businessTime: BusinessTime | null;
  countedBy: { id: string; name: string };
  note: string | null;
  recordedAt: string;
  summary: { lots: number; discrepancies: number; open: number };
  retainedUntil: string;
}

export interface LedgerCount extends LedgerCountSummary {
  lines: CountLine[];
}

export interface InventoryStatus {
  items: {
    location: { id: string; name: string; address: string; deaRegistration: string };
    initialInventory: { id: string; takenOn: string } | null;
    lastInventory: { id: string; kind: CountKind; takenOn: string } | null;
    status: 'initial-due' | 'current' | 'overdue';
    nextDueDate: string | null;
    daysRemaining: number | null;
    intervalMonths: number;
    citation: Citation;
  }[];
  today: string;
}

export interface DispensingLogEntry {
  entryId: string;
  kind: LedgerEntryKind;
  occurredAt: string;
  date: string;
  quantity: number;
  quantityMg: number;
  balance: number;
  containers: number | null;
  patient: { id: string; name: string; address: string | null; mrn: string } | null;
  counterparty: { name: string; address: string | null; dea: string | null } | null;
  documentNumber: string | null;
  recordedBy: string;
  witness: string | null;
  signedBy: string | null;
  reason: string | null;
  reversesId: string | null;
  lossKind: string | null;
  gaps: string[];
}

export interface DispensingLog {
  clinicName: string;
  timeZone: string;
  location: { id: string; name: string; address: string; deaRegistration: string };
  from: string;
  to: string;
  generatedAt: string;
  retentionYears: number;
  lots: {
    lot: LotSummary;
    openingBalance: number;
    closingBalance: number;
    received: number;
    administered: number;
    wasted: number;
    transferred: number;
    lost: number;
    adjusted: number;
    entries: DispensingLogEntry[];
  }[];
  incompleteEntries: number;
}

export interface LedgerSettings {
  jurisdiction: 'federal' | 'iowa';
  inventoryIntervalMonths: number | null;
  effectiveIntervalMonths: number;
  retentionYears: number;
  estimateToleranceQuantity: number | null;
  updatedAt: string | null;
}

export interface LedgerSettingsBody {
  jurisdiction: 'federal' | 'iowa';
  inventoryIntervalMonths: number | null;
  retentionYears: number;
  estimateToleranceQuantity: number | null;
}

export interface LossFiling {
  id: string;
  entryId: string;
  kind: 'field-office-notice' | 'form-106';
  filedAt: string;
  reference: string | null;
  recordedAt: string;
  recordedBy: { id: string; name: string };
}

/** An open theft or loss (no Form 106 on record) with its DEA deadlines (21 CFR 1301.76(b)). */
export interface OpenLoss {
  entry: LedgerEntry;
  filings: LossFiling[];
  fieldOfficeNoticeDueOn: string | null;
  form106DueBy: string;
  overdue: boolean;
}
