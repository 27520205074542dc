import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Loader,
  MultiSelect,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconClipboardPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { problemMessage } from '../../api/client.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { formatDate, formatInstant } from '../patients/patient-format.ts';
import { answeredItems, instrumentChoices } from './answer-labels.ts';
import { EnterAnswersDialog } from './enter-answers-dialog.tsx';
import {
  type MeasureAssignment,
  type MeasureResponse,
  measureKeys,
  measuresApi,
  usePatientMeasures,
} from './measures.api.ts';

const statusLabels = { pending: 'Due', completed: 'Completed', cancelled: 'Cancelled' } as const;

/** "12 / 27" or, for a screen without a total (C-SSRS), nothing. */
function totalOf(response: MeasureResponse): string {
  const { total, totalRange } = response.score;
  if (total === null) return '—';
  return totalRange ? `${total} / ${totalRange.max}` : String(total);
}

/** The band's own label from @kapstone/clinical (via the server); flags as the package names them. */
function ScoreBand({ response }: { response: MeasureResponse }) {
  const risky = response.alerts.length > 0;
  return (
    <Stack gap={2}>
      <Text size="sm" fw={risky ? 700 : undefined} c={risky ? 'red' : undefined}>
        {response.score.bandLabel ?? response.score.band}
      </Text>
      {response.score.flags.length > 0 && (
        <Group gap={4}>
          {response.score.flags.map((flag) => (
            <Badge key={flag} size="xs" variant="light" color={risky ? 'red' : 'gray'}>
              {flag}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/** The chart's Measures section: assign the screening set, what is due, and scores with bands and dates. */
export function MeasuresSection({ patientId }: { patientId: string }) {
  const session = useSignedInSession();
  const can = usePermissions();
  const queryClient = useQueryClient();
  const measures = usePatientMeasures(patientId);
  const [assigning, setAssigning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [entering, setEntering] = useState<MeasureAssignment | null>(null);
  const [openAnswers, setOpenAnswers] = useState<string | null>(null);
  const timeZone = session.clinic.timeZone;
  const refresh = () => queryClient.invalidateQueries({ queryKey: measureKeys.patient(patientId) });

  async function assign(instruments?: string[]) {
    setAssigning(true);
    setError(null);
    try {
      const result = await measuresApi.assign(patientId, instruments ? { instruments } : {});
      notifications.show({
        color: 'green',
        message:
          result.assigned.length > 0
            ? `Assigned: ${result.assigned.map((a) => a.shortName).join(', ')}`
            : 'These are already due for this patient.',
      });
      setChosen([]);
      await refresh();
    } catch (caught) {
      setError(problemMessage(caught));
    } finally {
      setAssigning(false);
    }
  }

  if (measures.isPending) return <Loader aria-label="Loading measures" />;
  if (measures.isError) {
    return (
      <Alert color="red" role="alert" title="Measures could not be loaded">
        {problemMessage(measures.error)}
      </Alert>
    );
  }
  const { assignments, responses } = measures.data;
  const pending = assignments.filter((a) => a.status === 'pending');
  const current = responses.filter((r) => r.supersededBy === null);

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2} size="h4">
          Measures
        </Title>
        {can('measures.assign') && (
          <Button
            leftSection={<IconClipboardPlus size={18} aria-hidden />}
            loading={assigning}
            onClick={() => assign()}
          >
            Assign screening set
          </Button>
        )}
      </Group>
      {can('measures.assign') && (
        <Group align="flex-end" gap="sm">
          <MultiSelect
            label="Or assign instruments"
            placeholder="Choose instruments"
            data={instrumentChoices()}
            value={chosen}
            onChange={setChosen}
            searchable
            clearable
            w={{ base: '100%', sm: 420 }}
          />
          <Button
            variant="light"
            disabled={chosen.length === 0}
            loading={assigning}
            onClick={() => assign(chosen)}
          >
            Assign selected
          </Button>
        </Group>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}

      <section aria-labelledby="measures-scores-title">
        <Title order={3} size="h5" id="measures-scores-title" mb="xs">
          Scores
        </Title>
        {current.length === 0 ? (
          <Text c="dimmed">No questionnaire has been completed yet.</Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped aria-labelledby="measures-scores-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Instrument</Table.Th>
                  <Table.Th>Total</Table.Th>
                  <Table.Th>Band</Table.Th>
                  <Table.Th>Completed</Table.Th>
                  <Table.Th>Entered by</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Answers</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {current.map((response) => (
                  <Fragment key={response.id}>
                    <Table.Tr data-testid={`score-${response.instrument}`}>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          {response.alerts.length > 0 && (
                            <IconAlertTriangle
                              size={16}
                              color="var(--mantine-color-red-7)"
                              aria-label="Risk alert"
                            />
                          )}
                          <Text size="sm" fw={600}>
                            {response.shortName}
                          </Text>
                          {response.supersedesId && (
                            <Badge size="xs" variant="outline">
                              corrected
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>{totalOf(response)}</Table.Td>
                      <Table.Td>
                        <ScoreBand response={response} />
                      </Table.Td>
                      <Table.Td>{formatInstant(response.authoredAt, timeZone)}</Table.Td>
                      <Table.Td>
                        {response.source === 'patient'
                          ? 'Patient (portal)'
                          : (response.enteredBy?.displayName ?? 'Staff')}
                      </Table.Td>
                      <Table.Td>
                        <Button
                          variant="subtle"
                          size="compact-sm"
                          aria-expanded={openAnswers === response.id}
                          aria-label={`Answers to ${response.shortName}`}
                          onClick={() => setOpenAnswers(openAnswers === response.id ? null : response.id)}
                        >
                          Answers
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                    {openAnswers === response.id && (
                      <Table.Tr>
                        <Table.Td colSpan={6}>
                          <List size="sm" spacing={2} listStyleType="none">
                            {answeredItems(response.instrument, response.answers).map((item) => (
                              <List.Item key={item.number}>
                                {item.number}. {item.text}: <strong>{item.answer ?? 'not asked'}</strong>
                              </List.Item>
                            ))}
                          </List>
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>

      <section aria-labelledby="measures-due-title">
        <Title order={3} size="h5" id="measures-due-title" mb="xs">
          Due
        </Title>
        {pending.length === 0 ? (
          <Text c="dimmed">Nothing is due.</Text>
        ) : (
          <Table.ScrollContainer minWidth={520}>
            <Table aria-labelledby="measures-due-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Instrument</Table.Th>
                  <Table.Th>Answered by</Table.Th>
                  <Table.Th>Due</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {pending.map((assignment) => (
                  <Table.Tr key={assignment.id}>
                    <Table.Td>{assignment.shortName}</Table.Td>
                    <Table.Td>
                      {assignment.respondent === 'patient' ? 'Patient (portal)' : 'Clinician'}
                    </Table.Td>
                    <Table.Td>{formatDate(assignment.dueDate)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light">{statusLabels[assignment.status]}</Badge>
                    </Table.Td>
                    <Table.Td>
                      {can('measures.assign') && (
                        <Button
                          variant="subtle"
                          size="compact-sm"
                          onClick={() => setEntering(assignment)}
                          aria-label={`Enter answers for ${assignment.shortName}`}
                        >
                          Enter answers
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
      <EnterAnswersDialog
        patientId={patientId}
        assignment={entering}
        onClose={() => setEntering(null)}
        onSaved={async () => {
          notifications.show({ color: 'green', message: 'Answers saved' });
          await refresh();
        }}
      />
    </Stack>
  );
}
