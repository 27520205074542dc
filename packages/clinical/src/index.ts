// @kapstone/clinical: the public API. Pure functions, no I/O, no clock or randomness inside rules.

export * from './catalog.ts';
export * from './dosing/index.ts';
export * from './eligibility/index.ts';
export * from './experience/index.ts';
export { icd10InRange, normaliseIcd10 } from './icd10.ts';
export * from './instruments/index.ts';
export * from './integration/index.ts';
export * from './ledger/index.ts';
export * from './measurement/index.ts';
export { classifyMedication, type MedicationClass } from './medications.ts';
export * from './monitoring/discharge-instructions.ts';
export * from './monitoring/index.ts';
export * from './monitoring/rems.ts';
export * from './outcomes/chart-guides.ts';
export * from './outcomes/cohort.ts';
export * from './outcomes/index.ts';
export * from './outcomes/maintenance.ts';
export * from './protocols/appointments.ts';
export * from './protocols/index.ts';
export * from './research/deidentify.ts';
export type * from './types.ts';
