import {
  Alert,
  Badge,
  Button,
  Chip,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useState } from 'react';
import { clientId } from '../../api/client-id.ts';
import { formatTime } from '../scheduling/calendar-model.ts';
import {
  cadss6Items,
  cadssPrompt,
  cadssSubmission,
  cadssTotal,
  emptyCadssAnswers,
  moaasLevels,
  moaasSubmission,
  moaasText,
  sedationNote,
  sideEffectsSubmission,
  toggleSideEffect,
} from './observation-model.ts';
import { queueObservation } from './session-queue.ts';
import {
  type SessionObservation,
  type SessionView,
  type SideEffect,
  sideEffectLabels,
  sideEffects,
} from './sessions.types.ts';

/**
 * Sedation (MOAA/S), dissociation (CADSS-6) and side effects at the chair. Each is recorded on its own, with
 * its own id, through the same queue as the vitals (kept while offline, sent once).
 */

function ChoiceButton({
  checked,
  onClick,
  children,
  label,
  color = 'blue',
}: {
  checked: boolean;
  onClick: () => void;
  children: React.ReactNode;
  label: string;
  color?: string;
}) {
  return (
    <UnstyledButton
      role="radio"
      aria-checked={checked}
      aria-label={label}
      onClick={onClick}
      style={{
        minHeight: 56,
        minWidth: 56,
        padding: '6px 10px',
        borderRadius: 8,
        border: `2px solid ${checked ? `var(--mantine-color-${color}-7)` : 'var(--mantine-color-default-border)'}`,
        background: checked ? `var(--mantine-color-${color}-light)` : 'var(--mantine-color-default)',
        textAlign: 'center',
      }}
    >
      {children}
    </UnstyledButton>
  );
}

function latest(observations: readonly SessionObservation[], kind: SessionObservation['kind']) {
  return [...observations]
    .filter((o) => o.kind === kind)
    .sort((a, b) => Date.parse(b.observedAt) - Date.parse(a.observedAt))[0];
}

function SedationForm({ session, timeZone }: { session: SessionView; timeZone: string }) {
  const [score, setScore] = useState<number | null>(null);
  const [attemptId, setAttemptId] = useState(clientId);
  const [error, setError] = useState<string | null>(null);
  const last = latest(session.observations, 'moaas');
  const note = score !== null ? sedationNote(score, session.baselineMoaas) : null;

  const record = () => {
    const { submission, errors } = moaasSubmission(score, attemptId, new Date());
    if (!submission) {
      setError(errors.moaas ?? null);
      return;
    }
    queueObservation(session.id, submission);
    setScore(null);
    setError(null);
    setAttemptId(clientId());
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h4" id="moaas-heading">
          Sedation (MOAA/S)
        </Title>
        {last?.moaas !== null && last?.moaas !== undefined && (
          <Text size="sm" c="dimmed">
            Last {moaasText(last.moaas)} at {formatTime(last.observedAt, timeZone)}
          </Text>
        )}
      </Group>
      <Group gap={6} role="radiogroup" aria-labelledby="moaas-heading">
        {moaasLevels.map((level) => (
          <ChoiceButton
            key={level.score}
            checked={score === level.score}
            onClick={() => setScore(level.score)}
            label={`MOAA/S ${level.score}: ${level.description}`}
            color={level.score <= 1 ? 'red' : level.score <= 3 ? 'orange' : 'blue'}
          >
            <Text fw={700} size="lg" lh={1.1}>
              {level.score}
            </Text>
            <Text size="xs" lh={1.1}>
              {level.label}
            </Text>
          </ChoiceButton>
        ))}
      </Group>
      {score !== null && <Text size="sm">{moaasLevels.find((l) => l.score === score)?.description}</Text>}
      {note && (
        <Alert color={score === 0 ? 'red' : 'orange'} p="xs" role="status">
          {note}
        </Alert>
      )}
      {error && (
        <Text c="red" size="sm" role="alert">
          {error}
        </Text>
      )}
      <Button size="lg" onClick={record} disabled={score === null}>
        Record sedation
      </Button>
    </Stack>
  );
}

function DissociationForm({
  session,
  timeZone,
  now,
}: {
  session: SessionView;
  timeZone: string;
  now: number;
}) {
  const [answers, setAnswers] = useState<(number | null)[]>(emptyCadssAnswers);
  const [attemptId, setAttemptId] = useState(clientId);
  const [error, setError] = useState<string | null>(null);
  const prompt = cadssPrompt(session, session.observations, now, (iso) => formatTime(iso, timeZone));
  const total = cadssTotal(answers);
  const answered = answers.filter((a) => a !== null).length;

  const record = () => {
    const { submission, errors } = cadssSubmission(answers, attemptId, new Date());
    if (!submission) {
      setError(errors.cadss6 ?? null);
      return;
    }
    queueObservation(session.id, submission);
    setAnswers(emptyCadssAnswers());
    setError(null);
    setAttemptId(clientId());
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h4">
          Dissociation (CADSS-6)
        </Title>
        <Badge size="lg" variant="light" color={total === null ? 'gray' : total > 0 ? 'orange' : 'green'}>
          {total === null ? `${answered} of ${cadss6Items.length} rated` : `Total ${total} of 24`}
        </Badge>
      </Group>
      {prompt.text && (
        <Alert
          p="xs"
          color={prompt.tone === 'due' ? 'orange' : 'blue'}
          variant="light"
          role="status"
          aria-label="CADSS-6 reminder"
        >
          {prompt.text}
        </Alert>
      )}
      <Text size="xs" c="dimmed">
        Show the clinic’s licensed wording for each item. 0 not at all · 1 slightly · 2 moderately · 3
        considerably · 4 extremely.
      </Text>
      {cadss6Items.map((item, index) => (
        <Stack key={item.id} gap={4}>
          <Text size="sm" id={`${item.id}-label`}>
            {item.text}
          </Text>
          <Group gap={4} role="radiogroup" aria-labelledby={`${item.id}-label`} wrap="nowrap">
            {item.options.map((option) => (
              <ChoiceButton
                key={option.score}
                checked={answers[index] === option.score}
                label={`${item.text}: ${option.score} ${option.label}`}
                onClick={() =>
                  setAnswers((current) => current.map((a, i) => (i === index ? option.score : a)))
                }
              >
                <Text fw={700}>{option.score}</Text>
              </ChoiceButton>
            ))}
          </Group>
        </Stack>
      ))}
      {error && (
        <Text c="red" size="sm" role="alert">
          {error}
        </Text>
      )}
      <Button size="lg" onClick={record} disabled={answered === 0}>
        Record CADSS-6
      </Button>
    </Stack>
  );
}

function SideEffectsForm({ session, timeZone }: { session: SessionView; timeZone: string }) {
  const [ticked, setTicked] = useState<SideEffect[]>([]);
  const [attemptId, setAttemptId] = useState(clientId);
  const last = latest(session.observations, 'side-effects');

  const record = () => {
    const { submission } = sideEffectsSubmission(ticked, attemptId, new Date());
    if (!submission) return;
    queueObservation(session.id, submission);
    setTicked([]);
    setAttemptId(clientId());
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h4" id="side-effects-heading">
          Side effects
        </Title>
        {last && (
          <Text size="sm" c="dimmed">
            Last at {formatTime(last.observedAt, timeZone)}:{' '}
            {last.sideEffects.length === 0
              ? 'none'
              : last.sideEffects.map((e) => sideEffectLabels[e]).join(', ')}
          </Text>
        )}
      </Group>
      <Group gap="xs" role="group" aria-labelledby="side-effects-heading">
        {sideEffects.map((effect) => (
          <Chip
            key={effect}
            size="lg"
            checked={ticked.includes(effect)}
            onChange={() => setTicked((list) => toggleSideEffect(list, effect))}
          >
            {sideEffectLabels[effect]}
          </Chip>
        ))}
      </Group>
      <Button size="lg" variant={ticked.length === 0 ? 'default' : 'filled'} onClick={record}>
        {ticked.length === 0 ? 'Record: no side effects' : 'Record side effects'}
      </Button>
    </Stack>
  );
}

export function ObservationsCard({
  session,
  timeZone,
  now,
}: {
  session: SessionView;
  timeZone: string;
  now: number;
}) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="observations-heading">
      <Stack gap="lg">
        <Title order={2} size="h3" id="observations-heading">
          Observations
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <Stack gap="lg">
            <SedationForm session={session} timeZone={timeZone} />
            {session.doseStartedAt && <SideEffectsForm session={session} timeZone={timeZone} />}
          </Stack>
          <DissociationForm session={session} timeZone={timeZone} now={now} />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
