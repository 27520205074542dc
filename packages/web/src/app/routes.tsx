import { Alert, Anchor, Container, Stack, Title } from '@mantine/core';
import { Link, Navigate, Route, Routes } from 'react-router';
import { AlertsPage } from '../features/alerts/alerts-page.tsx';
import { AuditPage } from '../features/audit/audit-page.tsx';
import { usePermissions, useSignedInSession } from '../features/auth/auth.api.ts';
import { LoginPage } from '../features/auth/login-page.tsx';
import { CareSettingsPage } from '../features/care-settings/care-settings-page.tsx';
import { ConsentTemplatesPage } from '../features/consent/consent-templates-page.tsx';
import { PortalConsentSignPage, PortalConsentsPage } from '../features/consent/portal-consents-page.tsx';
import { PortalIntakePage } from '../features/intake/portal-intake-page.tsx';
import { IntegrationConsolePage } from '../features/integration/integration-console-page.tsx';
import { AcceptInvitationPage } from '../features/invitations/accept-invitation-page.tsx';
import { ExperienceRatingPage } from '../features/journal/experience-rating-page.tsx';
import { PortalJournalPage } from '../features/journal/journal-page.tsx';
import { LedgerPage } from '../features/ledger/ledger-page.tsx';
import { SentMailPage } from '../features/mail/sent-mail-page.tsx';
import { QuestionnairePage } from '../features/measures/questionnaire-page.tsx';
import { OutcomesPage } from '../features/outcomes/outcomes-page.tsx';
import { PatientChartPage } from '../features/patients/patient-chart-page.tsx';
import { PatientListPage } from '../features/patients/patient-list-page.tsx';
import { RegisterPatientPage } from '../features/patients/register-patient-page.tsx';
import { TreatmentPlanPage } from '../features/plans/treatment-plan-page.tsx';
import { MyDetailsPage } from '../features/portal/my-details-page.tsx';
import { PortalDischargeInstructionsPage } from '../features/portal/portal-discharge-instructions.tsx';
import { PortalHome } from '../features/portal/portal-home.tsx';
import { PortalSessionsPage } from '../features/portal/portal-sessions-page.tsx';
import { PortalShell } from '../features/portal/portal-shell.tsx';
import { PreparationPage } from '../features/preparation/preparation-page.tsx';
import { RemsPage } from '../features/rems/rems-page.tsx';
import { ResearchExportsPage } from '../features/research/research-exports-page.tsx';
import { CourseBookingPage } from '../features/scheduling/course-booking-page.tsx';
import { PortalAppointmentsPage } from '../features/scheduling/portal-appointments.tsx';
import { SchedulePage } from '../features/scheduling/schedule-page.tsx';
import { ScreeningPage } from '../features/screening/screening-page.tsx';
import { DischargeInstructionsPage } from '../features/sessions/flow/discharge-instructions-page.tsx';
import { SessionBoardPage } from '../features/sessions/session-board-page.tsx';
import { SessionPage } from '../features/sessions/session-page.tsx';
import { PortalProgressPage } from '../features/trends/portal-progress-page.tsx';
import { DemoBanner } from './demo-banner.tsx';
import { RequireSession, SessionEndedListener } from './session-guard.tsx';
import { StaffShell, staffNavigation } from './staff-shell.tsx';
import { useDocumentTitle } from './use-document-title.ts';

/** Sends each person to the first screen their account and permissions allow. */
function Home() {
  const session = useSignedInSession();
  const can = usePermissions();
  if (session.user.kind === 'patient') return <Navigate to="/portal" replace />;
  const first = staffNavigation.find((entry) => entry.anyOf.some((permission) => can(permission)));
  if (first) return <Navigate to={first.to} replace />;
  return <NothingForYourRole />;
}

function NothingForYourRole() {
  useDocumentTitle('Welcome');
  return (
    <Alert color="blue" title="Nothing to show yet" maw={640}>
      Your role has no screens in this version of Kapstone yet. De-identified research views arrive with the
      outcomes work.
    </Alert>
  );
}

function RequirePermission({ permission, children }: { permission: string; children: React.ReactNode }) {
  const can = usePermissions();
  if (!can(permission)) {
    return (
      <Alert color="gray" title="Not available" role="alert" maw={640}>
        Your role does not include this screen.
      </Alert>
    );
  }
  return <>{children}</>;
}

function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <>
      <DemoBanner />
      <Container size="sm" py="xl" component="main" id="main-content">
        <Stack>
          <Title order={1} size="h2">
            Page not found
          </Title>
          <Anchor component={Link} to="/">
            Go to the start page
          </Anchor>
        </Stack>
      </Container>
    </>
  );
}

function LoginScreen() {
  return (
    <>
      <DemoBanner />
      <LoginPage />
    </>
  );
}

export function AppRoutes() {
  return (
    <>
      <SessionEndedListener />
      <Routes>
        <Route path="/login" element={<LoginScreen />} />
        {/* A portal invitation's link: public, the token is the credential. */}
        <Route path="/invite/:token" element={<AcceptInvitationPage />} />
        <Route element={<RequireSession kind="staff" />}>
          <Route element={<StaffShell />}>
            <Route
              path="/patients"
              element={
                <RequirePermission permission="patient.read">
                  <PatientListPage />
                </RequirePermission>
              }
            />
            <Route
              path="/patients/new"
              element={
                <RequirePermission permission="patient.create">
                  <RegisterPatientPage />
                </RequirePermission>
              }
            />
            <Route
              path="/patients/:patientId"
              element={
                <RequirePermission permission="patient.read">
                  <PatientChartPage />
                </RequirePermission>
              }
            />
            <Route
              path="/schedule"
              element={
                <RequirePermission permission="schedule.read">
                  <SchedulePage />
                </RequirePermission>
              }
            />
            <Route
              path="/patients/:patientId/course-booking"
              element={
                <RequirePermission permission="schedule.manage">
                  <CourseBookingPage />
                </RequirePermission>
              }
            />
            <Route
              path="/patients/:patientId/screening"
              element={
                <RequirePermission permission="patient.clinical.read">
                  <ScreeningPage />
                </RequirePermission>
              }
            />
            <Route
              path="/patients/:patientId/plan"
              element={
                <RequirePermission permission="patient.clinical.read">
                  <TreatmentPlanPage />
                </RequirePermission>
              }
            />
            <Route
              path="/patients/:patientId/preparation"
              element={
                <RequirePermission permission="patient.clinical.read">
                  <PreparationPage />
                </RequirePermission>
              }
            />
            <Route path="/audit" element={<AuditPage />} />
            <Route
              path="/outcomes"
              element={
                <RequirePermission permission="outcomes.read">
                  <OutcomesPage />
                </RequirePermission>
              }
            />
            <Route
              path="/research/exports"
              element={
                <RequirePermission permission="research.export">
                  <ResearchExportsPage />
                </RequirePermission>
              }
            />
            <Route
              path="/consent-templates"
              element={
                <RequirePermission permission="consent.templates.manage">
                  <ConsentTemplatesPage />
                </RequirePermission>
              }
            />
            <Route
              path="/mail"
              element={
                <RequirePermission permission="mail.read">
                  <SentMailPage />
                </RequirePermission>
              }
            />
            <Route
              path="/integration"
              element={
                <RequirePermission permission="patient.clinical.read">
                  <IntegrationConsolePage />
                </RequirePermission>
              }
            />
            <Route
              path="/alerts"
              element={
                <RequirePermission permission="alerts.read">
                  <AlertsPage />
                </RequirePermission>
              }
            />
            <Route
              path="/care-settings/:section?"
              element={
                <RequirePermission permission="care.settings.manage">
                  <CareSettingsPage />
                </RequirePermission>
              }
            />
            <Route
              path="/ledger"
              element={
                <RequirePermission permission="ledger.read">
                  <LedgerPage />
                </RequirePermission>
              }
            />
            <Route
              path="/rems"
              element={
                <RequirePermission permission="rems.read">
                  <RemsPage />
                </RequirePermission>
              }
            />
            <Route
              path="/sessions"
              element={
                <RequirePermission permission="session.read">
                  <SessionBoardPage />
                </RequirePermission>
              }
            />
            <Route
              path="/sessions/:sessionId"
              element={
                <RequirePermission permission="session.read">
                  <SessionPage />
                </RequirePermission>
              }
            />
          </Route>
          {/* Printable, in a tab of its own: no navigation around the instructions. */}
          <Route
            path="/sessions/:sessionId/discharge-instructions"
            element={
              <RequirePermission permission="session.read">
                <DischargeInstructionsPage />
              </RequirePermission>
            }
          />
        </Route>
        <Route element={<RequireSession kind="patient" />}>
          <Route element={<PortalShell />}>
            <Route path="/portal" element={<PortalHome />} />
            <Route path="/portal/details" element={<MyDetailsPage />} />
            <Route path="/portal/sessions" element={<PortalSessionsPage />} />
            <Route path="/portal/intake" element={<PortalIntakePage />} />
            <Route path="/portal/appointments" element={<PortalAppointmentsPage />} />
            <Route path="/portal/consents" element={<PortalConsentsPage />} />
            <Route path="/portal/consents/:templateVersionId" element={<PortalConsentSignPage />} />
            <Route path="/portal/progress" element={<PortalProgressPage />} />
            <Route path="/portal/measures/:assignmentId" element={<QuestionnairePage />} />
            <Route path="/portal/journal" element={<PortalJournalPage />} />
            <Route path="/portal/experience/:sessionId" element={<ExperienceRatingPage />} />
            <Route
              path="/portal/sessions/:sessionId/instructions"
              element={<PortalDischargeInstructionsPage />}
            />
          </Route>
        </Route>
        <Route element={<RequireSession />}>
          <Route path="/" element={<Home />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
