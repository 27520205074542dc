/**
 * Type-only check that the flow panels' hand-kept shapes still fit the server's zod schemas: what the server
 * answers must be assignable to what the panels read, and what the panels send must be a valid input of the
 * server's schemas. Nothing here runs or ships (nothing imports this file); a drift between the two is a web
 * typecheck error instead of a refused dose at the chair.
 */
import type { z } from 'zod';
import type { lotView, wasteInputSchema } from '../../../../../server/src/modules/ledger/ledger.schemas.ts';
import type {
  remsSubmissionInput,
  RemsFormSummary as ServerRemsFormSummary,
  RemsFormView as ServerRemsFormView,
} from '../../../../../server/src/modules/rems/rems.schemas.ts';
import type {
  adverseEventAmendmentInput,
  adverseEventInput,
  AdverseEventView as ServerAdverseEventView,
} from '../../../../../server/src/modules/session-safety/adverse-events.schemas.ts';
import type {
  psychotherapyNoteInput,
  PsychotherapyNoteView as ServerNoteView,
} from '../../../../../server/src/modules/session-safety/psychotherapy-notes.schemas.ts';
import type {
  administrationInputSchema,
  checklistInputSchema,
  dischargeInputSchema,
  dischargeReadinessView,
  gateOverrideSchema,
  SessionView as ServerSessionView,
} from '../../../../../server/src/modules/sessions/sessions.schemas.ts';
import type { RemsFormView } from '../../rems/rems.api.ts';
import type { MarkSubmittedBody, RemsFormSummary } from '../../rems/rems-model.ts';
import type { AdministrationSubmission, WasteSubmission } from './administration-model.ts';
import type { AdverseEventAmendment, AdverseEventSubmission } from './adverse-event-model.ts';
import type { DischargeSubmission } from './discharge-model.ts';
import type { AdverseEventView, DischargeReadinessView, FlowSession, LedgerLot } from './flow.api.ts';
import type { PreDoseChecklistSubmission } from './pre-dose-model.ts';
import type { NoteSubmission, PsychotherapyNoteView } from './psychotherapy-note-model.ts';

type Fits<Actual extends Expected, Expected> = Actual;

// What the server answers fits what the panels read.
export type SessionFits = Fits<ServerSessionView, FlowSession>;
export type ReadinessFits = Fits<z.infer<typeof dischargeReadinessView>, DischargeReadinessView>;
export type LotFits = Fits<z.infer<typeof lotView>, LedgerLot>;
export type AdverseEventFits = Fits<ServerAdverseEventView, AdverseEventView>;
export type NoteFits = Fits<ServerNoteView, PsychotherapyNoteView>;
// The instructions' view (DischargeInstructionsView) extends @kapstone/clinical's own type: nothing to check.
export type RemsSummaryFits = Fits<ServerRemsFormSummary, RemsFormSummary>;
export type RemsFormFits = Fits<ServerRemsFormView, RemsFormView>;

// What the panels send is a valid input of the server's schemas.
export type ChecklistInputFits = Fits<PreDoseChecklistSubmission, z.input<typeof checklistInputSchema>>;
export type OverrideInputFits = Fits<
  { id: string; checklistId: string; cautions: string[]; rationale: string; password: string },
  z.input<typeof gateOverrideSchema>
>;
export type AdministrationInputFits = Fits<
  AdministrationSubmission,
  z.input<typeof administrationInputSchema>
>;
export type WasteInputFits = Fits<WasteSubmission, z.input<typeof wasteInputSchema>>;
export type DischargeInputFits = Fits<DischargeSubmission, z.input<typeof dischargeInputSchema>>;
export type AdverseEventInputFits = Fits<AdverseEventSubmission, z.input<typeof adverseEventInput>>;
export type AmendmentInputFits = Fits<AdverseEventAmendment, z.input<typeof adverseEventAmendmentInput>>;
export type NoteInputFits = Fits<NoteSubmission, z.input<typeof psychotherapyNoteInput>>;
export type SubmissionInputFits = Fits<MarkSubmittedBody, z.input<typeof remsSubmissionInput>>;
