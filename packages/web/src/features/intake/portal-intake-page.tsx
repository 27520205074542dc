import { Alert, Anchor, Button, Group, List, Loader, Progress, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiProblem, isProblem, problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import { useOwnRecord } from '../portal/portal.api.ts';
import { type IntakeView, useOwnIntake, useSaveOwnIntake, useSubmitOwnIntake } from './intake.api.ts';
import { IntakeSectionFields } from './intake-fields.tsx';
import { answerErrors, firstSectionWithError, sectionDef, sectionToSave } from './intake-form-model.ts';
import {
  type Draft,
  describePath,
  type IntakeSection,
  intakeSections,
  sectionOfPath,
  sectionTitles,
} from './intake-questions.ts';
import { IntakeAnswersSummary } from './intake-summary.tsx';

type Step = IntakeSection | 'review';
const steps: Step[] = [...intakeSections, 'review'];

function SubmittedIntake({ view }: { view: IntakeView }) {
  const session = useSignedInSession();
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Your intake
      </Title>
      <Alert color="green" title="Submitted">
        Thank you. You submitted your intake
        {view.submittedAt ? ` on ${formatInstant(view.submittedAt, session.clinic.timeZone)}` : ''}. Your care
        team will go through it with you. If an answer needs to change, please contact your clinic: a member
        of staff can correct it with you.
      </Alert>
      <IntakeAnswersSummary answers={view.answers} headingLevel={2} />
      <Anchor component={Link} to="/portal">
        Back to the portal home
      </Anchor>
    </Stack>
  );
}

function IntakeForm({
  initial,
  prefill,
  onReload,
}: {
  initial: IntakeView;
  prefill: Draft;
  onReload: () => void;
}) {
  const navigate = useNavigate();
  const save = useSaveOwnIntake();
  const submit = useSubmitOwnIntake();
  const [view, setView] = useState(initial);
  const [draft, setDraft] = useState<Draft>({ ...prefill, ...initial.answers });
  const [step, setStep] = useState<Step>(
    initial.status === 'not-started' ? 'medical' : initial.resumeSection,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const index = steps.indexOf(step);
  const busy = save.isPending || submit.isPending;

  // A new step: move focus to its heading, so a screen reader announces it and the page starts at the top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect is about the step changing
  useEffect(() => {
    heading.current?.focus();
    window.scrollTo?.({ top: 0 });
  }, [step]);

  function fail(caught: unknown) {
    if (isProblem(caught, 409)) {
      setConflict(true);
      return;
    }
    if (caught instanceof ApiProblem && caught.status === 400)
      setErrors(answerErrors(caught.fieldMessages()));
    setProblem(problemMessage(caught));
  }

  /** Saves the current step's section (nothing to save on the review step). */
  async function saveStep(resumeAt: Step): Promise<IntakeView | null> {
    setProblem(null);
    if (step === 'review') return view;
    try {
      const saved = await save.mutateAsync({
        version: view.version,
        answers: sectionToSave(draft, step),
        resumeSection: resumeAt === 'review' ? 'goals' : resumeAt,
        clientSaveId: clientId(),
      });
      setView(saved);
      setErrors((current) =>
        Object.fromEntries(Object.entries(current).filter(([path]) => sectionOfPath(path) !== step)),
      );
      return saved;
    } catch (caught) {
      fail(caught);
      return null;
    }
  }

  async function goTo(next: Step) {
    if (await saveStep(next)) setStep(next);
  }

  async function saveAndLeave() {
    if (await saveStep(step)) {
      notifications.show({ color: 'green', message: 'Saved. You can come back and continue at any time.' });
      navigate('/portal');
    }
  }

  async function submitIntake() {
    setProblem(null);
    try {
      const submitted = await submit.mutateAsync({ version: view.version, clientSaveId: clientId() });
      setView(submitted);
      notifications.show({ color: 'green', message: 'Your intake was submitted. Thank you.' });
    } catch (caught) {
      fail(caught);
      if (caught instanceof ApiProblem && caught.status === 400) {
        const first = firstSectionWithError(answerErrors(caught.fieldMessages()));
        if (first) setStep(first);
      }
    }
  }

  if (view.status === 'submitted') return <SubmittedIntake view={view} />;

  const title = step === 'review' ? 'Check and submit' : sectionTitles[step];
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Your intake
      </Title>
      <Stack gap={4}>
        <Text size="sm" id="intake-progress-label">
          Step {index + 1} of {steps.length}: {title}
        </Text>
        <Progress
          value={((index + 1) / steps.length) * 100}
          aria-labelledby="intake-progress-label"
          size="lg"
          radius="xl"
        />
      </Stack>
      {conflict && (
        <Alert color="orange" role="alert" title="Your intake was changed somewhere else">
          <Stack gap="xs">
            <Text size="sm">
              It was saved from another device or by your clinic since you opened this page, so this step was
              not saved. Reload to see the latest answers, then make your change again.
            </Text>
            <Group>
              <Button onClick={onReload}>Reload my intake</Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {problem && !conflict && (
        <Alert color="red" role="alert">
          {problem}
        </Alert>
      )}
      <Title order={2} size="h3" ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
        {title}
      </Title>
      {step === 'review' ? (
        <ReviewStep view={view} onGoTo={(section) => setStep(section)} />
      ) : (
        <>
          <Text c="dimmed">{sectionDef(step).intro}</Text>
          <IntakeSectionFields
            section={step}
            draft={draft}
            onChange={setDraft}
            errors={errors}
            size="md"
            headingLevel={3}
          />
        </>
      )}
      <Stack gap="sm" mt="md">
        {step === 'review' ? (
          <Button size="lg" fullWidth onClick={submitIntake} loading={submit.isPending} disabled={busy}>
            Submit intake
          </Button>
        ) : (
          <Button
            size="lg"
            fullWidth
            onClick={() => goTo(steps[index + 1] as Step)}
            loading={save.isPending}
            disabled={busy || conflict}
          >
            Save and continue
          </Button>
        )}
        {step !== 'review' && (
          <Button size="md" fullWidth variant="light" onClick={saveAndLeave} disabled={busy || conflict}>
            Save and continue later
          </Button>
        )}
        <Button
          size="md"
          fullWidth
          variant="default"
          onClick={() => goTo(steps[index - 1] as Step)}
          disabled={index === 0 || busy || conflict}
        >
          Back
        </Button>
      </Stack>
    </Stack>
  );
}

function ReviewStep({ view, onGoTo }: { view: IntakeView; onGoTo: (section: IntakeSection) => void }) {
  const bySection = intakeSections
    .map((section) => ({
      section,
      missing: view.missing.filter((m) => sectionOfPath(m.path) === section),
    }))
    .filter((s) => s.missing.length > 0);
  return (
    <Stack gap="md">
      {bySection.length === 0 ? (
        <Text>
          Every question has an answer. Look over your answers below; when you submit, your care team can see
          them. After that, changes go through your clinic.
        </Text>
      ) : (
        <Alert color="yellow" title="A few answers are still missing">
          <Stack gap="sm">
            {bySection.map(({ section, missing }) => (
              <Stack key={section} gap={4}>
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={600}>{sectionTitles[section]}</Text>
                  <Button size="sm" variant="light" onClick={() => onGoTo(section)}>
                    Go to {sectionTitles[section].toLowerCase()}
                  </Button>
                </Group>
                <List size="sm">
                  {missing.slice(0, 5).map((m) => (
                    <List.Item key={m.path}>{describePath(m.path.replace(/^answers\./, ''))}</List.Item>
                  ))}
                  {missing.length > 5 && <List.Item>and {missing.length - 5} more</List.Item>}
                </List>
              </Stack>
            ))}
          </Stack>
        </Alert>
      )}
      <IntakeAnswersSummary answers={view.answers} headingLevel={3} />
    </Stack>
  );
}

export function PortalIntakePage() {
  useDocumentTitle('Your intake');
  const intake = useOwnIntake();
  const record = useOwnRecord();
  const [generation, setGeneration] = useState(0);

  if (intake.isPending || record.isPending) return <Loader aria-label="Loading your intake" />;
  if (intake.isError) {
    return (
      <Alert color="red" role="alert" title="Your intake could not be loaded">
        {problemMessage(intake.error)}
      </Alert>
    );
  }
  return (
    <IntakeForm
      key={generation}
      initial={intake.data}
      // The emergency contact the clinic already has, offered as the starting answer (saved only with the step).
      prefill={record.data?.emergencyContact ? { emergencyContact: { ...record.data.emergencyContact } } : {}}
      onReload={async () => {
        await intake.refetch();
        setGeneration((g) => g + 1);
      }}
    />
  );
}
