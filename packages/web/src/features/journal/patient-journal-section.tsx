import { afterEffectLabels, experienceScales } from '@kapstone/clinical';
import { Alert, Badge, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { problemMessage } from '../../api/client.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { formatDate, formatInstant } from '../patients/patient-format.ts';
import {
  type PatientExperienceRatings,
  usePatientExperienceRatings,
  useSharedJournal,
} from './journal.api.ts';

/**
 * The patient's voice on the chart: the journal entries they share now (never the private ones; reading them
 * is audited) and their rating of each session's experience.
 */
export function PatientJournalSection({ patientId }: { patientId: string }) {
  return (
    <Stack gap="xl">
      <SharedJournal patientId={patientId} />
      <SessionExperience patientId={patientId} />
    </Stack>
  );
}

function SharedJournal({ patientId }: { patientId: string }) {
  const session = useSignedInSession();
  const journal = useSharedJournal(patientId);
  return (
    <Stack gap="sm" component="section" aria-labelledby="shared-journal-title">
      <Title order={2} size="h3" id="shared-journal-title">
        Journal (shared by the patient)
      </Title>
      <Text size="sm" c="dimmed">
        Only the entries the patient chooses to share appear here; they can stop sharing at any time.
      </Text>
      {journal.isPending && <Loader size="sm" aria-label="Loading the shared journal" />}
      {journal.isError && (
        <Alert color="red" role="alert">
          {problemMessage(journal.error)}
        </Alert>
      )}
      {journal.data && journal.data.items.length === 0 && (
        <Text c="dimmed">The patient shares no journal entries at the moment.</Text>
      )}
      {journal.data?.items.map((entry) => (
        <Card key={entry.id} withBorder padding="md">
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              Written {formatInstant(entry.createdAt, session.clinic.timeZone)}
              {entry.sessionDate ? ` · about the session of ${formatDate(entry.sessionDate)}` : ''}
            </Text>
            {entry.prompt && (
              <Text size="sm" fs="italic">
                {entry.prompt.text}
              </Text>
            )}
            <Text style={{ whiteSpace: 'pre-wrap' }}>{entry.text}</Text>
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

function effectsOf(item: PatientExperienceRatings['items'][number]): string {
  const { afterEffects, otherAfterEffect } = item.answers;
  return afterEffects
    .map((e) => (e === 'other' && otherAfterEffect ? `Other: ${otherAfterEffect}` : afterEffectLabels[e]))
    .join(', ');
}

function SessionExperience({ patientId }: { patientId: string }) {
  const ratings = usePatientExperienceRatings(patientId);
  return (
    <Stack gap="sm" component="section" aria-labelledby="session-experience-title">
      <Title order={2} size="h3" id="session-experience-title">
        Session experience
      </Title>
      <Text size="sm" c="dimmed">
        The patient’s own rating the day after each session (0–10). A Kapstone form, not a validated
        instrument: no scores or cut-offs.
      </Text>
      {ratings.isPending && <Loader size="sm" aria-label="Loading the session ratings" />}
      {ratings.isError && (
        <Alert color="red" role="alert">
          {problemMessage(ratings.error)}
        </Alert>
      )}
      {ratings.data && ratings.data.difficultyFlagAtLeast === null && (
        <Text size="xs" c="dimmed">
          No difficult-experience flag: the clinic has not set a threshold (setting
          experienceRating.difficultyFlagAtLeast).
        </Text>
      )}
      {ratings.data && ratings.data.items.length === 0 && <Text c="dimmed">No session rated yet.</Text>}
      {ratings.data && ratings.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Session</Table.Th>
                {experienceScales.map((s) => (
                  <Table.Th key={s.id}>
                    {s.id === 'difficulty' ? 'Emotional difficulty' : s.id[0]!.toUpperCase() + s.id.slice(1)}
                  </Table.Th>
                ))}
                <Table.Th>Afterwards</Table.Th>
                <Table.Th>Comment</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ratings.data.items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>
                    <Group gap={4}>
                      <Text size="sm">{formatDate(item.sessionDate)}</Text>
                      {item.version > 1 && (
                        <Badge size="xs" variant="light" color="gray">
                          corrected
                        </Badge>
                      )}
                      {item.difficultExperience && (
                        <Badge size="xs" color="orange">
                          difficult experience
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  {experienceScales.map((s) => (
                    <Table.Td key={s.id}>{item.answers[s.id]}</Table.Td>
                  ))}
                  <Table.Td>{effectsOf(item)}</Table.Td>
                  <Table.Td>{item.answers.comment ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
