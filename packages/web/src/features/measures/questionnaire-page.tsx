import { Alert, Anchor, Button, Card, Group, Loader, Progress, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconCheck } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem, isProblem, problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { CrisisResources } from '../portal/crisis-resources.tsx';
import {
  measureKeys,
  measuresApi,
  type PortalQuestionnaire,
  type Submission,
  useDueMeasures,
  useQuestionnaire,
} from './measures.api.ts';
import {
  type AnswerMap,
  askedItems,
  isReadyToReview,
  nextStep,
  previousStep,
  progressOf,
  toAnswerArray,
} from './questionnaire-flow.ts';

/** The portal questionnaire: one question per screen, large answer buttons, a review, then submit. */
export function QuestionnairePage() {
  useDocumentTitle('Questionnaire');
  const { assignmentId = '' } = useParams();
  // Keyed by the assignment: "Next questionnaire" starts afresh instead of keeping the last confirmation.
  return <QuestionnaireScreen key={assignmentId} assignmentId={assignmentId} />;
}

function QuestionnaireScreen({ assignmentId }: { assignmentId: string }) {
  const questionnaire = useQuestionnaire(assignmentId);
  // Kept here, above the query's states, so the confirmation (and any crisis resources) stays on screen
  // while the cached questionnaire is marked completed.
  const [submitted, setSubmitted] = useState<Submission | null>(null);

  if (submitted) return <Submitted submission={submitted} />;
  if (questionnaire.isPending) return <Loader aria-label="Loading the questionnaire" />;
  if (questionnaire.isError) {
    return (
      <Stack>
        <Alert color="gray" role="alert" title="Questionnaire not available">
          {isProblem(questionnaire.error, 404) || isProblem(questionnaire.error, 400)
            ? 'This questionnaire is not one of yours, or it is no longer available.'
            : problemMessage(questionnaire.error)}
        </Alert>
        <Anchor component={Link} to="/portal">
          Back to your home page
        </Anchor>
      </Stack>
    );
  }
  if (questionnaire.data.assignment.status !== 'pending') {
    return (
      <Stack>
        <Title order={1} size="h2">
          {questionnaire.data.questionnaire.name}
        </Title>
        <Alert color="green" title="Already done">
          {questionnaire.data.assignment.status === 'completed'
            ? 'You have already answered this questionnaire. Thank you.'
            : 'Your care team no longer needs this questionnaire.'}
        </Alert>
        <Anchor component={Link} to="/portal">
          Back to your home page
        </Anchor>
      </Stack>
    );
  }
  return <QuestionnaireForm data={questionnaire.data} onSubmitted={setSubmitted} />;
}

function QuestionnaireForm({
  data,
  onSubmitted,
}: {
  data: PortalQuestionnaire;
  onSubmitted: (submission: Submission) => void;
}) {
  const { questionnaire, assignment } = data;
  const items = questionnaire.items;
  const queryClient = useQueryClient();
  const [answers, setAnswers] = useState<AnswerMap>({});
  const [step, setStep] = useState<string | null>(items[0]?.id ?? null); // null = the review
  const [pending, setPending] = useState(false);
  const [changing, setChanging] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  // One id per set of answers: a retry after a lost reply is recognised by the server; changed answers get a
  // new id, so they are never mistaken for the earlier attempt.
  const responseId = useRef<string>(clientId());
  const headingRef = useRef<HTMLHeadingElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect runs because the screen changed
  useEffect(() => {
    // Move focus to the new question so screen readers announce it, as a page change would.
    headingRef.current?.focus();
  }, [step]);

  function answer(itemId: string, score: number | null) {
    setAnswers((current) => ({ ...current, [itemId]: score }));
    responseId.current = clientId();
    setFieldErrors({});
  }

  async function submit() {
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      const result = await measuresApi.submit(assignment.id, {
        id: responseId.current,
        answers: toAnswerArray(items, answers),
      });
      onSubmitted(result);
      queryClient.setQueryData<PortalQuestionnaire>(measureKeys.questionnaire(assignment.id), (cached) =>
        cached ? { ...cached, assignment: { ...cached.assignment, status: 'completed' } } : cached,
      );
      await queryClient.invalidateQueries({ queryKey: measureKeys.due });
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) setFieldErrors(caught.fieldMessages());
      setError(problemMessage(caught));
    } finally {
      setPending(false);
    }
  }

  if (step === null) {
    const asked = askedItems(items, answers);
    return (
      <Stack gap="md">
        <Title order={1} size="h2" ref={headingRef} tabIndex={-1}>
          Review your answers
        </Title>
        <Text c="dimmed">
          {questionnaire.shortName} · {questionnaire.recallPeriod}
        </Text>
        {error && (
          <Alert color="red" role="alert" title="Your answers were not sent">
            {error}
          </Alert>
        )}
        <Stack gap="sm" component="ol" p={0} style={{ listStyle: 'none' }}>
          {asked.map((item) => {
            const index = items.indexOf(item);
            const given = answers[item.id];
            const label =
              typeof given === 'number'
                ? item.options.find((o) => o.score === given)?.label
                : given === null
                  ? 'Skipped'
                  : 'Not answered';
            const problem = fieldErrors[`answers.${index}`];
            return (
              <Card key={item.id} withBorder component="li" padding="sm">
                <Text size="sm" fw={600}>
                  {item.number}. {item.text}
                </Text>
                <Group justify="space-between" wrap="nowrap" mt={4}>
                  <Text size="sm">{label}</Text>
                  <Button
                    variant="subtle"
                    size="sm"
                    mih={44}
                    onClick={() => {
                      setChanging(true);
                      setStep(item.id);
                    }}
                    aria-label={`Change answer to question ${item.number}`}
                  >
                    Change
                  </Button>
                </Group>
                {problem && (
                  <Text size="sm" c="red" role="alert">
                    {problem}
                  </Text>
                )}
              </Card>
            );
          })}
        </Stack>
        {fieldErrors.answers && (
          <Text c="red" role="alert">
            {fieldErrors.answers}
          </Text>
        )}
        <Group justify="space-between">
          <Button
            variant="default"
            size="lg"
            leftSection={<IconArrowLeft size={18} aria-hidden />}
            onClick={() => setStep(previousStep(items, answers, null))}
          >
            Back
          </Button>
          <Button
            size="lg"
            leftSection={<IconCheck size={18} aria-hidden />}
            loading={pending}
            disabled={!isReadyToReview(items, answers)}
            onClick={submit}
          >
            Submit answers
          </Button>
        </Group>
      </Stack>
    );
  }

  const item = items.find((i) => i.id === step) ?? items[0]!;
  const { position, total } = progressOf(items, answers, item.id);
  const given = answers[item.id];
  const answered = typeof given === 'number' || (item.optional && given === null);
  const previous = previousStep(items, answers, item.id);
  const goNext = () => {
    // After "Change" on the review, Next goes back to the review once every question is answered again.
    if (changing && isReadyToReview(items, answers)) {
      setChanging(false);
      setStep(null);
      return;
    }
    const next = nextStep(items, answers, item.id);
    setStep(next.kind === 'item' ? next.id : null);
  };
  const questionId = `question-${item.id}`;

  return (
    <Stack gap="md">
      <div>
        <Text size="sm" c="dimmed" fw={600}>
          {questionnaire.name}
        </Text>
        <Text size="sm" c="dimmed">
          Time frame: {questionnaire.recallPeriod}
        </Text>
      </div>
      <div>
        <Text size="sm" fw={600} aria-live="polite">
          Question {position} of {total}
        </Text>
        <Progress value={(position / total) * 100} aria-label={`Question ${position} of ${total}`} mt={4} />
      </div>
      <Title order={1} size="h3" id={questionId} ref={headingRef} tabIndex={-1}>
        {item.text}
      </Title>
      <Stack gap="sm" role="group" aria-labelledby={questionId}>
        {item.options.map((option) => {
          const selected = given === option.score;
          return (
            <Button
              key={option.score}
              size="xl"
              fullWidth
              variant={selected ? 'filled' : 'default'}
              aria-pressed={selected}
              onClick={() => answer(item.id, option.score)}
              styles={{ inner: { justifyContent: 'flex-start' }, label: { whiteSpace: 'normal' } }}
              h="auto"
              mih={56}
              py="sm"
            >
              {option.label}
            </Button>
          );
        })}
        {item.optional && (
          <Button
            variant={given === null ? 'light' : 'subtle'}
            size="lg"
            aria-pressed={given === null}
            onClick={() => answer(item.id, null)}
          >
            Skip this question
          </Button>
        )}
      </Stack>
      <Group justify="space-between">
        <Button
          variant="default"
          size="lg"
          leftSection={<IconArrowLeft size={18} aria-hidden />}
          disabled={previous === null}
          onClick={() => previous && setStep(previous)}
        >
          Back
        </Button>
        <Button
          size="lg"
          rightSection={<IconArrowRight size={18} aria-hidden />}
          disabled={!answered}
          onClick={goNext}
        >
          Next
        </Button>
      </Group>
    </Stack>
  );
}

function Submitted({ submission }: { submission: Submission }) {
  const due = useDueMeasures();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const next = due.data?.items.find((item) => item.id !== submission.assignmentId);
  return (
    <Stack gap="md">
      {submission.crisisResources && (
        <>
          <CrisisResources urgent clinicPhone={submission.crisisResources.clinicPhone} />
          <Text>
            Some of your answers tell us you may be having a very hard time. Your care team has been told and
            will reach out to you. If you feel unsafe now, call or text 988, call 911, or go to the nearest
            emergency room.
          </Text>
        </>
      )}
      <Title order={1} size="h2" ref={headingRef} tabIndex={-1}>
        Thank you, your answers were sent
      </Title>
      <Text c="dimmed">Your care team will go through them with you.</Text>
      <Group>
        {next && (
          <Button component={Link} to={`/portal/measures/${next.id}`} size="lg">
            Next questionnaire: {next.shortName}
          </Button>
        )}
        <Button component={Link} to="/portal" variant="default" size="lg">
          Back to your home page
        </Button>
      </Group>
    </Stack>
  );
}
