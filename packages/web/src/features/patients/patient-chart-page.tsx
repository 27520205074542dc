import { Alert, Anchor, Button, Loader, Stack, Tabs, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isProblem, problemMessage } from '../../api/client.ts';
import type { BreakGlassGrantIssued, Patient } from '../../api/types.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { PatientConsentSection } from '../consent/patient-consent-section.tsx';
import { PatientIntakeSection } from '../intake/patient-intake-section.tsx';
import { IntegrationSection } from '../integration/integration-section.tsx';
import { PortalInvitationCard } from '../invitations/portal-invitation-card.tsx';
import { PatientJournalSection } from '../journal/patient-journal-section.tsx';
import { MeasureScheduleCard } from '../measures/measure-schedule-card.tsx';
import { MeasuresSection } from '../measures/measures-section.tsx';
import { TrendsSection } from '../trends/trends-section.tsx';
import { AllergiesSection } from './allergies-section.tsx';
import { BreakGlassDialog, breakGlassKey } from './break-glass-dialog.tsx';
import { ChartHeader } from './chart-header.tsx';
import { DemographicsSection } from './demographics-section.tsx';
import { DiagnosesSection } from './diagnoses-section.tsx';
import { HistorySection } from './history-section.tsx';
import { MedicationsSection } from './medications-section.tsx';
import { formatInstant, fullName } from './patient-format.ts';
import { findListedPatient, usePatientChart } from './patients.api.ts';
import { TimelineSection } from './timeline-section.tsx';

const sections = [
  'demographics',
  'intake',
  'diagnoses',
  'medications',
  'allergies',
  'measures',
  'integration',
  'trends',
  'journal',
  'consent',
  'timeline',
  'history',
] as const;
type Section = (typeof sections)[number];
const clinicalSections: readonly Section[] = [
  'integration',
  'intake',
  'diagnoses',
  'medications',
  'allergies',
  'measures',
  'trends',
  'journal',
];

const sectionLabels: Record<Section, string> = {
  demographics: 'Demographics',
  intake: 'Intake',
  diagnoses: 'Diagnoses',
  medications: 'Medications',
  allergies: 'Allergies',
  measures: 'Measures',
  integration: 'Integration',
  trends: 'Trends',
  journal: 'Journal and experience',
  consent: 'Consent',
  timeline: 'Timeline',
  history: 'History',
};

function EmergencyAccessNotice({ patientId }: { patientId: string }) {
  const session = useSignedInSession();
  const grant = useQuery<BreakGlassGrantIssued | null>({
    queryKey: breakGlassKey(patientId),
    queryFn: () => null,
    enabled: false,
    initialData: null,
  });
  if (!grant.data) return null;
  return (
    <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title="Emergency access">
      You are viewing this chart through break-glass access until{' '}
      {formatInstant(grant.data.expiresAt, session.clinic.timeZone)}. Everything you view is audited.
    </Alert>
  );
}

function Chart({ patient }: { patient: Patient }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const clinicalVisible = patient.clinicalDataIncluded !== false;
  const can = usePermissions();
  const available = sections.filter(
    (section) =>
      (clinicalVisible || !clinicalSections.includes(section)) &&
      (section !== 'consent' || can('consent.read')),
  );
  const requested = searchParams.get('section') as Section | null;
  const current: Section = requested && available.includes(requested) ? requested : 'demographics';

  return (
    <Stack gap="md">
      <EmergencyAccessNotice patientId={patient.id} />
      <ChartHeader patient={patient} />
      {can('portal.invite') && <PortalInvitationCard patient={patient} />}
      {!clinicalVisible && (
        <Text size="sm" c="dimmed">
          Diagnoses, medications and allergies are not part of your role’s view of the chart.
        </Text>
      )}
      <Tabs
        value={current}
        onChange={(value) => {
          if (value) setSearchParams({ section: value }, { replace: true });
        }}
        keepMounted={false}
      >
        <Tabs.List aria-label="Chart sections">
          {available.map((section) => (
            <Tabs.Tab key={section} value={section}>
              {sectionLabels[section]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="demographics" pt="md">
          <DemographicsSection patient={patient} />
        </Tabs.Panel>
        {clinicalVisible && (
          <>
            <Tabs.Panel value="intake" pt="md">
              <PatientIntakeSection patientId={patient.id} />
            </Tabs.Panel>
            <Tabs.Panel value="diagnoses" pt="md">
              <DiagnosesSection patient={patient} />
            </Tabs.Panel>
            <Tabs.Panel value="medications" pt="md">
              <MedicationsSection patient={patient} />
            </Tabs.Panel>
            <Tabs.Panel value="allergies" pt="md">
              <AllergiesSection patient={patient} />
            </Tabs.Panel>
            <Tabs.Panel value="measures" pt="md">
              <MeasureScheduleCard patientId={patient.id} />
              <MeasuresSection patientId={patient.id} />
            </Tabs.Panel>
            <Tabs.Panel value="integration" pt="md">
              <IntegrationSection patientId={patient.id} />
            </Tabs.Panel>
            <Tabs.Panel value="trends" pt="md">
              <TrendsSection patientId={patient.id} />
            </Tabs.Panel>
            <Tabs.Panel value="journal" pt="md">
              <PatientJournalSection patientId={patient.id} />
            </Tabs.Panel>
          </>
        )}
        {available.includes('consent') && (
          <Tabs.Panel value="consent" pt="md">
            <PatientConsentSection patientId={patient.id} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="timeline" pt="md">
          <TimelineSection />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <HistorySection patientId={patient.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/**
 * The chart endpoint answers 404 alike for a chart that does not exist, another clinic's, and one outside the
 * care team. Only when this session's own search listed the patient as outside the care team does the page
 * offer break-glass; otherwise it says "not found" and offers it as an explicit choice.
 */
function ChartUnavailable({ patientId }: { patientId: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const can = usePermissions();
  const listed = findListedPatient(queryClient, patientId);
  const [askingForAccess, setAskingForAccess] = useState(listed !== undefined && !listed.inCareTeam);
  const mayBreakGlass = can('patient.break-glass');

  if (askingForAccess && mayBreakGlass) {
    return (
      <BreakGlassDialog
        patientId={patientId}
        patientName={listed ? fullName(listed) : null}
        onCancel={() => {
          setAskingForAccess(false);
          navigate('/patients');
        }}
      />
    );
  }
  return (
    <Stack>
      <Alert color="gray" title="Chart not available" role="alert">
        {listed && !listed.inCareTeam
          ? 'This patient is outside your care team, and your role cannot request emergency access.'
          : 'No chart was found for this patient in your clinic, or it is outside your care team.'}
      </Alert>
      <Stack gap="xs" align="flex-start">
        <Anchor component={Link} to="/patients">
          Back to patient search
        </Anchor>
        {mayBreakGlass && !listed && (
          <Button variant="subtle" color="orange" onClick={() => setAskingForAccess(true)}>
            Request emergency access
          </Button>
        )}
      </Stack>
    </Stack>
  );
}

export function PatientChartPage() {
  useDocumentTitle('Patient chart');
  const { patientId = '' } = useParams();
  const chart = usePatientChart(patientId);

  if (chart.isPending) return <Loader aria-label="Opening the chart" />;
  if (chart.isError) {
    if (isProblem(chart.error, 404) || isProblem(chart.error, 400))
      return <ChartUnavailable patientId={patientId} />;
    return (
      <Alert color="red" role="alert" title="The chart could not be opened">
        {problemMessage(chart.error)}
      </Alert>
    );
  }
  return <Chart patient={chart.data} />;
}
