/**
 * Type-only check that the console's hand-kept shapes (sessions.types.ts) still fit the server's zod schemas:
 * the server's session view and board must be assignable to what the console reads, and what the console
 * sends must be a valid input of the server's schemas. Nothing here runs or ships (the file is imported by
 * nothing); a drift between the two is a web typecheck error instead of a blank chair screen.
 */
import type { z } from 'zod';
import type {
  boardView,
  observationInputSchema,
  SessionView as ServerSessionView,
  sessionVitalsInputSchema,
} from '../../../../server/src/modules/sessions/sessions.schemas.ts';
import type {
  BoardView,
  SessionObservationSubmission,
  SessionView,
  SessionVitalsSubmission,
} from './sessions.types.ts';

type Fits<Actual extends Expected, Expected> = Actual;

export type SessionViewFits = Fits<ServerSessionView, SessionView>;
export type BoardViewFits = Fits<z.infer<typeof boardView>, BoardView>;
export type VitalsInputFits = Fits<SessionVitalsSubmission, z.input<typeof sessionVitalsInputSchema>>;
export type ObservationInputFits = Fits<SessionObservationSubmission, z.input<typeof observationInputSchema>>;
