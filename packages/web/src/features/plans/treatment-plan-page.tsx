import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { isProblem, problemMessage } from '../../api/client.ts';
import type { Patient } from '../../api/types.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { ChartHeader } from '../patients/chart-header.tsx';
import { formatDate, formatInstant } from '../patients/patient-format.ts';
import { usePatientChart } from '../patients/patients.api.ts';
import { CourseTimeline, DoseCheck } from './course-timeline.tsx';
import { PlanEditor } from './plan-editor.tsx';
import { planStatusLabels, productLabels, routeLabels } from './plan-form-model.ts';
import { plansApi, type TreatmentPlan, usePlans, useRefreshPlans } from './plans.api.ts';

function StatusBadge({ status }: { status: string }) {
  const shown = planStatusLabels[status] ?? { label: status, color: 'gray' };
  return (
    <Badge
      color={shown.color}
      variant="light"
      styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
    >
      {shown.label}
    </Badge>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

/** A signed (or past) version as it was signed: its stored course and dose checks, never recomputed. */
function PlanSummary({ plan }: { plan: TreatmentPlan }) {
  const session = useSignedInSession();
  const dose = (d: TreatmentPlan['startingDose']) => `${d.value} ${d.unit} (${d.calculation.doseMg} mg)`;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
        <Fact label="Indication">
          {plan.indication.icd10} {plan.indication.description}
        </Fact>
        <Fact label="Protocol">{plan.protocolName}</Fact>
        <Fact label="Route and product">
          {routeLabels[plan.route] ?? plan.route}, {productLabels[plan.product] ?? plan.product}
        </Fact>
        <Fact label="Course start">{formatDate(plan.startDate)}</Fact>
        <Fact label="Dosing sessions">{plan.dosingSessions}</Fact>
        <Fact label="Weight used">{plan.weightKg === null ? '—' : `${plan.weightKg} kg`}</Fact>
        <Fact label="Starting dose">{dose(plan.startingDose)}</Fact>
        <Fact label="Maximum dose">{dose(plan.maximumDose)}</Fact>
        <Fact label="Signed">
          {plan.signedAt
            ? `${formatInstant(plan.signedAt, session.clinic.timeZone)} by ${plan.signedBy?.displayName ?? 'unknown'}`
            : 'Not signed'}
          {plan.doseWarningsAcknowledged ? ' (dose warnings acknowledged)' : ''}
        </Fact>
      </SimpleGrid>
      {[plan.startingDose.calculation, plan.maximumDose.calculation].some((c) => c.level !== 'ok') && (
        <Stack gap="xs">
          <DoseCheck label="Starting dose" calculation={plan.startingDose.calculation} />
          <DoseCheck label="Maximum dose" calculation={plan.maximumDose.calculation} />
        </Stack>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <div>
          <Text fw={600} size="sm">
            Goals
          </Text>
          {plan.goals.length === 0 ? (
            <Text size="sm" c="dimmed">
              None recorded.
            </Text>
          ) : (
            <ul>
              {plan.goals.map((g) => (
                <li key={g.text}>{g.text}</li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <Text fw={600} size="sm">
            Intentions
          </Text>
          {plan.intentions.length === 0 ? (
            <Text size="sm" c="dimmed">
              None recorded.
            </Text>
          ) : (
            <ul>
              {plan.intentions.map((g) => (
                <li key={g.text}>{g.text}</li>
              ))}
            </ul>
          )}
        </div>
      </SimpleGrid>
      <Title order={4} size="h4">
        Planned course (as signed)
      </Title>
      <CourseTimeline events={plan.plannedCourse} label="Planned course of the active plan" />
    </Stack>
  );
}

function AmendDialog({
  patientId,
  plan,
  opened,
  onClose,
  onAmended,
}: {
  patientId: string;
  plan: TreatmentPlan;
  opened: boolean;
  onClose: () => void;
  onAmended: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal opened={opened} onClose={onClose} title="Amend the treatment plan">
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          try {
            await plansApi.amend(patientId, plan.id, reason.trim());
            setReason('');
            onAmended();
          } catch (e) {
            setError(isProblem(e) ? (e.fieldMessages().reason ?? problemMessage(e)) : problemMessage(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Stack>
          <Text size="sm">
            An amendment is a new version, copied from version {plan.version}. It stays a draft until you sign
            it; version {plan.version} remains the active plan until then.
          </Text>
          <Textarea
            label="Reason for the amendment"
            required
            minRows={3}
            value={reason}
            error={error}
            onChange={(event) => setReason(event.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="subtle" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={reason.trim().length < 3}>
              Start amendment
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EndDialog({
  patientId,
  plan,
  opened,
  onClose,
  onEnded,
}: {
  patientId: string;
  plan: TreatmentPlan;
  opened: boolean;
  onClose: () => void;
  onEnded: () => void;
}) {
  const [reason, setReason] = useState<'course-complete' | 'stopped' | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal opened={opened} onClose={onClose} title="End the treatment plan">
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (!reason) return;
          setBusy(true);
          setError(null);
          try {
            await plansApi.end(patientId, plan.id, { reason, note: note.trim() || null });
            onEnded();
          } catch (e) {
            setError(problemMessage(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Stack>
          <Text size="sm">
            Ending is recorded with the plan; the signed plan itself is kept unchanged. An open draft
            amendment is discarded.
          </Text>
          <Select
            label="Why does the plan end?"
            required
            data={[
              { value: 'course-complete', label: 'Course complete' },
              { value: 'stopped', label: 'Stopped early' },
            ]}
            value={reason}
            onChange={(value) => setReason(value as typeof reason)}
          />
          <Textarea
            label="Note"
            minRows={2}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={busy} disabled={!reason}>
              End plan
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function VersionHistory({ plans }: { plans: TreatmentPlan[] }) {
  const session = useSignedInSession();
  const when = (instant: string | null) => (instant ? formatInstant(instant, session.clinic.timeZone) : '—');
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="plan-history-heading">
      <Stack gap="sm">
        <Title order={3} size="h3" id="plan-history-heading">
          Version history
        </Title>
        {plans.length === 0 ? (
          <Text size="sm" c="dimmed">
            No treatment plan yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Version</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Protocol</Table.Th>
                  <Table.Th scope="col">Start</Table.Th>
                  <Table.Th scope="col">Signed</Table.Th>
                  <Table.Th scope="col">Amendment reason / ending</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {plans.map((plan) => (
                  <Table.Tr key={plan.id}>
                    <Table.Td>{plan.version}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={plan.status} />
                    </Table.Td>
                    <Table.Td>{plan.protocolName}</Table.Td>
                    <Table.Td>{formatDate(plan.startDate)}</Table.Td>
                    <Table.Td>
                      {when(plan.signedAt)}
                      {plan.signedBy ? ` · ${plan.signedBy.displayName}` : ''}
                    </Table.Td>
                    <Table.Td>
                      {plan.amendmentReason ?? ''}
                      {plan.status === 'ended' &&
                        ` Ended ${when(plan.closedAt)} (${plan.endReason === 'course-complete' ? 'course complete' : 'stopped'})${plan.endNote ? `: ${plan.endNote}` : ''}`}
                      {plan.status === 'superseded' && ` Superseded ${when(plan.closedAt)}`}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

function PlanWorkspace({ patient }: { patient: Patient }) {
  const can = usePermissions();
  const plans = usePlans(patient.id);
  const refresh = useRefreshPlans(patient.id);
  const [creating, setCreating] = useState(false);
  const [amending, setAmending] = useState(false);
  const [ending, setEnding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const mayWrite = can('plan.write');

  if (plans.isPending) return <Loader aria-label="Loading the treatment plans" />;
  if (plans.isError)
    return (
      <Alert color="red" role="alert" title="The treatment plans could not be loaded">
        {problemMessage(plans.error)}
      </Alert>
    );
  const items = plans.data.items;
  const active = items.find((p) => p.id === plans.data.activePlanId) ?? null;
  const drafts = items.filter((p) => p.status === 'draft');
  const changed = async (message: string) => {
    setNotice(message);
    await refresh();
  };

  return (
    <Stack gap="md">
      {notice && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="active-plan-heading">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={3} size="h3" id="active-plan-heading">
              Active plan
            </Title>
            {active && (
              <Group gap="xs">
                <Badge variant="light">Version {active.version}</Badge>
                {mayWrite && drafts.every((d) => d.seriesId !== active.seriesId) && (
                  <Button size="xs" variant="light" onClick={() => setAmending(true)}>
                    Amend plan
                  </Button>
                )}
                {mayWrite && (
                  <Button size="xs" variant="light" color="red" onClick={() => setEnding(true)}>
                    End plan
                  </Button>
                )}
              </Group>
            )}
          </Group>
          {active ? (
            <PlanSummary plan={active} />
          ) : (
            <Text size="sm" c="dimmed">
              No signed treatment plan is active.
            </Text>
          )}
        </Stack>
      </Paper>
      {active && (
        <>
          <AmendDialog
            patientId={patient.id}
            plan={active}
            opened={amending}
            onClose={() => setAmending(false)}
            onAmended={async () => {
              setAmending(false);
              await changed('Amendment started: edit the draft below and sign it.');
            }}
          />
          <EndDialog
            patientId={patient.id}
            plan={active}
            opened={ending}
            onClose={() => setEnding(false)}
            onEnded={async () => {
              setEnding(false);
              await changed('The treatment plan has ended.');
            }}
          />
        </>
      )}

      {mayWrite &&
        drafts.map((draft) => (
          <PlanEditor
            key={`${draft.id}-${draft.revision}`}
            patient={patient}
            draft={draft}
            onChanged={async (plan) =>
              changed(
                plan.status === 'signed'
                  ? `Version ${plan.version} signed.`
                  : plan.status === 'discarded'
                    ? 'Draft discarded.'
                    : 'Draft saved.',
              )
            }
          />
        ))}
      {mayWrite && !creating && drafts.length === 0 && !active && (
        <Group>
          <Button onClick={() => setCreating(true)}>New treatment plan</Button>
        </Group>
      )}
      {mayWrite && creating && (
        <PlanEditor
          patient={patient}
          draft={null}
          onCancel={() => setCreating(false)}
          onChanged={async () => {
            setCreating(false);
            await changed('Draft saved. Review it and sign it below.');
          }}
        />
      )}
      <VersionHistory plans={items} />
    </Stack>
  );
}

/** /patients/:patientId/plan: the treatment plan of one patient, for prescribers (and read by clinicians). */
export function TreatmentPlanPage() {
  useDocumentTitle('Treatment plan');
  const { patientId = '' } = useParams();
  const chart = usePatientChart(patientId);
  if (chart.isPending) return <Loader aria-label="Opening the chart" />;
  if (chart.isError)
    return (
      <Alert color="gray" role="alert" title="Chart not available">
        {isProblem(chart.error, 404)
          ? 'No chart was found for this patient in your clinic.'
          : problemMessage(chart.error)}
      </Alert>
    );
  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/patients/${encodeURIComponent(patientId)}`} size="sm">
        Back to the chart
      </Anchor>
      <ChartHeader patient={chart.data} />
      <Title order={2} size="h2">
        Treatment plan
      </Title>
      {chart.data.clinicalDataIncluded === false ? (
        <Alert color="gray" role="alert">
          Treatment plans are part of the clinical record, which your role does not include.
        </Alert>
      ) : (
        <PlanWorkspace patient={chart.data} />
      )}
    </Stack>
  );
}
