import { afterEffectLabels, afterEffects } from '@kapstone/clinical';
import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconCheck } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { formatDate } from '../patients/patient-format.ts';
import {
  draftOf,
  type ExperienceDraft,
  emptyDraft,
  isAnswered,
  progressLabel,
  scaleOf,
  steps,
  toAnswers,
  toggleAfterEffect,
} from './experience-flow.ts';
import { type ExperienceRating, journalApi, journalKeys, useMyExperienceRatings } from './journal.api.ts';

/** The answers of a 0–10 question. */
const scalePoints = Array.from({ length: 11 }, (_, value) => value);

/** The experience rating of one session: one question per screen, large targets, "2 of 6". */
export function ExperienceRatingPage() {
  useDocumentTitle('Rate your session');
  const { sessionId = '' } = useParams();
  const ratings = useMyExperienceRatings();
  const [sent, setSent] = useState(false);

  if (sent)
    return (
      <Stack gap="md">
        <Title order={1} size="h2">
          Thank you
        </Title>
        <Text>Your rating was sent to your care team. It helps them shape your next sessions with you.</Text>
        <Group>
          <Button component={Link} to="/portal/journal" size="lg" variant="light">
            Write in your journal
          </Button>
          <Button component={Link} to="/portal" size="lg" variant="default">
            Back to your home page
          </Button>
        </Group>
      </Stack>
    );
  if (ratings.isPending) return <Loader aria-label="Loading your session" />;
  if (ratings.isError)
    return (
      <Alert color="red" role="alert">
        {problemMessage(ratings.error)}
      </Alert>
    );
  const due = ratings.data.due.find((d) => d.sessionId === sessionId);
  const rated = ratings.data.rated.find((r) => r.sessionId === sessionId);
  const upcoming = ratings.data.upcoming.find((u) => u.sessionId === sessionId);
  if (!due && !rated) {
    return (
      <Stack>
        <Alert color="gray" role="alert" title="Not available yet">
          {upcoming
            ? `You can rate this session from ${formatDate(upcoming.opensOn)}, the day after it.`
            : 'This session is not one you can rate.'}
        </Alert>
        <Anchor component={Link} to="/portal">
          Back to your home page
        </Anchor>
      </Stack>
    );
  }
  return (
    <ExperienceRatingForm
      key={sessionId}
      sessionId={sessionId}
      sessionDate={(due ?? rated)!.sessionDate}
      correcting={rated ?? null}
      onSent={() => setSent(true)}
    />
  );
}

export function ExperienceRatingForm({
  sessionId,
  sessionDate,
  correcting,
  onSent,
  initialStep = 0,
}: {
  sessionId: string;
  sessionDate: string;
  /** The rating given already: the form starts from it and sends a correction. */
  correcting: ExperienceRating | null;
  onSent: () => void;
  initialStep?: number;
}) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ExperienceDraft>(
    correcting ? draftOf(correcting.answers) : emptyDraft(),
  );
  const [index, setIndex] = useState(initialStep);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ratingId = useRef(clientId());
  const headingRef = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect runs because the screen changed
  useEffect(() => {
    headingRef.current?.focus();
  }, [index]);

  const step = steps[index]!;
  const last = index === steps.length - 1;
  const change = (next: ExperienceDraft) => {
    setDraft(next);
    ratingId.current = clientId();
  };

  async function send() {
    setPending(true);
    setError(null);
    try {
      await journalApi.rate(sessionId, {
        id: ratingId.current,
        ...(correcting ? { amendsId: correcting.id } : {}),
        answers: toAnswers(draft),
      });
      await queryClient.invalidateQueries({ queryKey: journalKeys.ratings });
      onSent();
    } catch (caught) {
      setError(problemMessage(caught));
    } finally {
      setPending(false);
    }
  }

  const scale = scaleOf(step);
  const questionId = `experience-${step}`;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" fw={600}>
        {correcting ? 'Correct your rating' : 'Rate your experience'} · your session of{' '}
        {formatDate(sessionDate)}
      </Text>
      <div>
        <Text size="sm" fw={600} aria-live="polite">
          {progressLabel(index)}
        </Text>
        <Progress value={((index + 1) / steps.length) * 100} aria-label={progressLabel(index)} mt={4} />
      </div>
      {scale && (
        <>
          <Title order={1} size="h3" id={questionId} ref={headingRef} tabIndex={-1}>
            {scale.question}
          </Title>
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed">
              0 = {scale.low}
            </Text>
            <Text size="sm" c="dimmed">
              10 = {scale.high}
            </Text>
          </Group>
          <SimpleGrid cols={{ base: 4, xs: 6 }} spacing="xs" role="group" aria-labelledby={questionId}>
            {scalePoints.map((value) => {
              const selected = draft[scale.id] === value;
              return (
                <Button
                  key={value}
                  size="lg"
                  mih={48}
                  variant={selected ? 'filled' : 'default'}
                  aria-pressed={selected}
                  aria-label={`${value} of 10`}
                  onClick={() => change({ ...draft, [scale.id]: value })}
                >
                  {value}
                </Button>
              );
            })}
          </SimpleGrid>
        </>
      )}
      {step === 'afterEffects' && (
        <>
          <Title order={1} size="h3" id={questionId} ref={headingRef} tabIndex={-1}>
            Did you notice any of these afterwards?
          </Title>
          <Text size="sm" c="dimmed">
            Choose all that apply, or “None”.
          </Text>
          <Stack gap="xs" role="group" aria-labelledby={questionId}>
            {afterEffects.map((effect) => {
              const selected = draft.afterEffects.includes(effect);
              return (
                <Button
                  key={effect}
                  size="lg"
                  fullWidth
                  mih={48}
                  variant={selected ? 'filled' : 'default'}
                  aria-pressed={selected}
                  styles={{ inner: { justifyContent: 'flex-start' } }}
                  onClick={() =>
                    change({ ...draft, afterEffects: toggleAfterEffect(draft.afterEffects, effect) })
                  }
                >
                  {afterEffectLabels[effect]}
                </Button>
              );
            })}
          </Stack>
          {draft.afterEffects.includes('other') && (
            <TextInput
              label="What else did you notice?"
              size="lg"
              value={draft.otherAfterEffect}
              onChange={(event) => change({ ...draft, otherAfterEffect: event.currentTarget.value })}
            />
          )}
          <Text size="sm" c="dimmed">
            If something worries you now, call the clinic or use the crisis button at the top of the page.
          </Text>
        </>
      )}
      {step === 'comment' && (
        <>
          <Title order={1} size="h3" id={questionId} ref={headingRef} tabIndex={-1}>
            Anything you would like your care team to know? (optional)
          </Title>
          <Textarea
            aria-labelledby={questionId}
            autosize
            minRows={4}
            size="lg"
            value={draft.comment}
            onChange={(event) => change({ ...draft, comment: event.currentTarget.value })}
          />
          <Text size="sm" c="dimmed">
            Your care team reads your rating. For private thoughts, use your journal: it stays private unless
            you share it.
          </Text>
        </>
      )}
      {error && (
        <Alert color="red" role="alert" title="Your rating was not sent">
          {error}
        </Alert>
      )}
      <Group justify="space-between">
        <Button
          variant="default"
          size="lg"
          leftSection={<IconArrowLeft size={18} aria-hidden />}
          disabled={index === 0}
          onClick={() => setIndex(index - 1)}
        >
          Back
        </Button>
        {last ? (
          <Button
            size="lg"
            leftSection={<IconCheck size={18} aria-hidden />}
            loading={pending}
            onClick={send}
          >
            Send my rating
          </Button>
        ) : (
          <Button
            size="lg"
            rightSection={<IconArrowRight size={18} aria-hidden />}
            disabled={!isAnswered(draft, step)}
            onClick={() => setIndex(index + 1)}
          >
            Next
          </Button>
        )}
      </Group>
    </Stack>
  );
}
