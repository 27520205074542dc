/** The session-flow panels the session page composes, each `({ session }: { session: SessionView })`. */
export { AdministrationPanel } from './administration-panel.tsx';
export { AdverseEventsPanel } from './adverse-events-panel.tsx';
export { CheckInPanel } from './check-in-panel.tsx';
export { DischargePanel } from './discharge-panel.tsx';
export { PreDosePanel } from './pre-dose-panel.tsx';
export { PsychotherapyNotesPanel } from './psychotherapy-notes-panel.tsx';
