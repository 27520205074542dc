import { instruments, isInstrumentId } from '@kapstone/clinical';
import { Alert, Button, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { ApiProblem, problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import type { MeasureAssignment } from './measures.api.ts';
import { measuresApi } from './measures.api.ts';
import { type AnswerMap, isAsked, toAnswerArray } from './questionnaire-flow.ts';

/**
 * Staff entry of one instrument on a single form: a clinician-rated scale (MADRS) or a questionnaire the
 * patient answered on paper or by phone. Items are shown in the instrument's own wording from
 * @kapstone/clinical; items whose condition is unmet (C-SSRS skip logic) are not offered.
 */
export function EnterAnswersDialog({
  patientId,
  assignment,
  onClose,
  onSaved,
}: {
  patientId: string;
  assignment: MeasureAssignment | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const [answers, setAnswers] = useState<AnswerMap>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const responseId = useRef<string>(clientId());
  const definition =
    assignment && isInstrumentId(assignment.instrument) ? instruments[assignment.instrument] : null;
  const items = (definition?.items ?? []).map((item) => ({
    id: item.id,
    number: item.number,
    text: item.text,
    options: item.options.map((o) => ({ score: o.score, label: o.label })),
    enableWhen: item.enableWhen
      ? { item: item.enableWhen.item, answers: [...item.enableWhen.answers] }
      : null,
    optional: item.optional ?? false,
  }));

  function close() {
    setAnswers({});
    setFieldErrors({});
    setError(null);
    responseId.current = clientId();
    onClose();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!assignment) return;
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      await measuresApi.enter(patientId, assignment.id, {
        id: responseId.current,
        answers: toAnswerArray(items, answers),
      });
      await onSaved();
      close();
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) setFieldErrors(caught.fieldMessages());
      setError(problemMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <Modal
      opened={assignment !== null}
      onClose={close}
      title={definition ? `Enter ${definition.shortName}` : 'Enter answers'}
      centered
      size="lg"
    >
      {definition && (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {definition.name} · {definition.recallPeriod}
            </Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            {items.map((item, index) =>
              isAsked(item, answers) ? (
                <NativeSelect
                  key={item.id}
                  label={`${item.number}. ${item.text}`}
                  required={!item.optional}
                  value={
                    answers[item.id] === undefined || answers[item.id] === null
                      ? ''
                      : String(answers[item.id])
                  }
                  error={fieldErrors[`answers.${index}`]}
                  onChange={(event) => {
                    const value = event.currentTarget.value;
                    setAnswers((current) => ({
                      ...current,
                      [item.id]: value === '' ? undefined : Number(value),
                    }));
                    responseId.current = clientId();
                  }}
                  data={[
                    { value: '', label: item.optional ? 'Not answered' : 'Choose…' },
                    ...item.options.map((o) => ({
                      value: String(o.score),
                      label: `${o.score} — ${o.label}`,
                    })),
                  ]}
                />
              ) : null,
            )}
            {fieldErrors.answers && (
              <Text c="red" size="sm" role="alert">
                {fieldErrors.answers}
              </Text>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={pending}>
                Save answers
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
