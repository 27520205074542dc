import { Alert, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { problemMessage } from '../../api/client.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { phaseWords } from './course-status.ts';
import { CourseStatusCard } from './course-status-card.tsx';
import { InstrumentTrendChart } from './instrument-trend-chart.tsx';
import { MaintenanceSignalCard } from './maintenance-signal-card.tsx';
import { type DosingMarker, type MeasurementSummary, useMeasurementSummary } from './trends.api.ts';

const routeWords: Record<string, string> = {
  iv: 'IV',
  im: 'IM',
  sublingual: 'SL',
  oral: 'oral',
  intranasal: 'IN',
};

/** "Dose 2 · IM 35 mg" for a dosing session marker. */
export function doseLabel(dose: DosingMarker, index: number): string {
  const route = routeWords[dose.route] ?? dose.route;
  const mg = dose.doseMg === null ? '' : ` ${dose.doseMg} mg`;
  return `Dose ${index + 1} · ${route}${mg}`;
}

/** The chart's Trends: the maintenance signal (prescribers), the course status, and a chart per instrument. */
export function TrendsView({
  summary,
  timeZone,
  prescriber,
}: {
  summary: MeasurementSummary;
  timeZone: string;
  prescriber: boolean;
}) {
  const markers = summary.doses.map((dose, i) => ({ at: dose.at, label: doseLabel(dose, i) }));
  if (summary.instruments.length === 0) {
    return (
      <Text c="dimmed">No scored questionnaires yet. Trends appear after the first measure is answered.</Text>
    );
  }
  return (
    <Stack gap="md">
      {prescriber && <MaintenanceSignalCard summary={summary} timeZone={timeZone} />}
      <CourseStatusCard summary={summary} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        {summary.instruments.map((instrument) => (
          <InstrumentTrendChart
            key={instrument.instrument}
            title={instrument.name}
            caption="Shaded: severity bands · dashed: baseline and criteria · violet: dosing sessions"
            shortName={instrument.shortName}
            range={instrument.range}
            bands={instrument.bands}
            points={instrument.series}
            pointNotes={instrument.series.map((p) => phaseWords[p.phase])}
            baseline={instrument.baseline?.total ?? null}
            lines={instrument.lines}
            markers={markers}
            timeZone={timeZone}
          />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

export function TrendsSection({ patientId }: { patientId: string }) {
  const session = useSignedInSession();
  const summary = useMeasurementSummary(patientId);
  if (summary.isPending) return <Loader size="sm" aria-label="Loading trends" />;
  if (summary.isError) {
    return (
      <Alert color="red" role="alert">
        {problemMessage(summary.error)}
      </Alert>
    );
  }
  return (
    <TrendsView
      summary={summary.data}
      timeZone={session.clinic.timeZone}
      prescriber={session.roles.includes('prescriber')}
    />
  );
}
