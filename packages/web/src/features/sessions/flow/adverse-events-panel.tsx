import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { problemMessage } from '../../../api/client.ts';
import { clientId } from '../../../api/client-id.ts';
import { usePermissions } from '../../auth/auth.api.ts';
import { localInputValue } from '../../screening/vitals-form-model.ts';
import type { SessionView } from '../sessions.types.ts';
import {
  type AdverseEventCategory,
  type AdverseEventFormValues,
  type AdverseEventOutcome,
  type AdverseEventSeverity,
  adverseEventCategories,
  adverseEventOutcomes,
  adverseEventSeverities,
  categoryLabels,
  formFromEvent,
  outcomeLabels,
  severityLabels,
  suggestedSerious,
  toAdverseEventAmendment,
  toAdverseEventSubmission,
} from './adverse-event-model.ts';
import {
  type AdverseEventView,
  asFlow,
  useAdverseEvents,
  useAmendAdverseEvent,
  useRecordAdverseEvent,
} from './flow.api.ts';
import { FlowPanel, fieldErrors, nowLocal, StepProblem, touch, useClinicTime } from './flow-ui.tsx';

const emptyEvent = (): AdverseEventFormValues => ({
  category: '',
  severity: '',
  description: '',
  actionTaken: '',
  outcome: '',
  serious: false,
  onsetAt: nowLocal(),
  reason: '',
});

const fieldPaths = [
  'category',
  'severity',
  'serious',
  'description',
  'actionTaken',
  'outcome',
  'onsetAt',
  'reason',
];

function EventForm({
  sessionId,
  amending,
  onDone,
}: {
  sessionId: string;
  amending: AdverseEventView | null;
  onDone: () => void;
}) {
  const record = useRecordAdverseEvent(sessionId);
  const amend = useAmendAdverseEvent(sessionId);
  const mutation = amending ? amend : record;
  const [values, setValues] = useState<AdverseEventFormValues>(() =>
    amending ? formFromEvent(amending.current, (i) => localInputValue(new Date(i))) : emptyEvent(),
  );
  const [local, setLocal] = useState<Record<string, string>>({});
  const attempt = useRef(clientId());
  const errors = fieldErrors(local, mutation.error);
  const set = <K extends keyof AdverseEventFormValues>(key: K, value: AdverseEventFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const proposedSerious = suggestedSerious(values);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const done = {
      onSuccess: () => {
        attempt.current = clientId();
        onDone();
      },
    };
    if (amending) {
      const { submission, errors: found } = toAdverseEventAmendment(
        values,
        attempt.current,
        amending.current.version,
      );
      setLocal(found);
      if (submission) amend.mutate({ seriesId: amending.seriesId, ...submission }, done);
    } else {
      const { submission, errors: found } = toAdverseEventSubmission(values, attempt.current);
      setLocal(found);
      if (submission) record.mutate(submission, done);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label={amending ? 'Amend adverse event' : 'New adverse event'}>
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            size={touch}
            label="Kind of event"
            data={adverseEventCategories.map((value) => ({ value, label: categoryLabels[value] }))}
            value={values.category || null}
            error={errors.category}
            onChange={(value) => set('category', (value ?? '') as AdverseEventCategory | '')}
            allowDeselect={false}
          />
          <Select
            size={touch}
            label="Severity"
            data={adverseEventSeverities.map((value) => ({ value, label: severityLabels[value] }))}
            value={values.severity || null}
            error={errors.severity}
            onChange={(value) => set('severity', (value ?? '') as AdverseEventSeverity | '')}
            allowDeselect={false}
          />
          <TextInput
            size={touch}
            type="datetime-local"
            label="Started at"
            value={values.onsetAt}
            error={errors.onsetAt}
            onChange={(e) => set('onsetAt', e.currentTarget.value)}
          />
        </SimpleGrid>
        <Textarea
          size={touch}
          label="What happened"
          autosize
          minRows={2}
          value={values.description}
          error={errors.description}
          onChange={(e) => set('description', e.currentTarget.value)}
        />
        <Textarea
          size={touch}
          label="Action taken"
          autosize
          minRows={2}
          value={values.actionTaken}
          error={errors.actionTaken}
          onChange={(e) => set('actionTaken', e.currentTarget.value)}
        />
        <Select
          size={touch}
          label="Outcome"
          data={adverseEventOutcomes.map((value) => ({ value, label: outcomeLabels[value] }))}
          value={values.outcome || null}
          error={errors.outcome}
          onChange={(value) => set('outcome', (value ?? '') as AdverseEventOutcome | '')}
          allowDeselect={false}
          maw={420}
        />
        <Switch
          size="lg"
          label="Serious: flag for follow-up"
          description={
            proposedSerious
              ? 'A severe event, respiratory depression or a fatal outcome is always serious.'
              : 'The care team gets an alert to follow up.'
          }
          checked={values.serious || proposedSerious}
          disabled={proposedSerious}
          onChange={(e) => set('serious', e.currentTarget.checked)}
        />
        {amending && (
          <Textarea
            size={touch}
            label="Reason for the amendment"
            autosize
            minRows={1}
            value={values.reason}
            error={errors.reason}
            onChange={(e) => set('reason', e.currentTarget.value)}
          />
        )}
        <StepProblem
          error={mutation.error}
          title={amending ? 'Amendment not saved' : 'Adverse event not recorded'}
          shownFields={fieldPaths}
        />
        <Group>
          <Button size={touch} color="red" type="submit" loading={mutation.isPending}>
            {amending ? 'Save amendment' : 'Record adverse event'}
          </Button>
          <Button size={touch} variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EventCard({ event, onAmend }: { event: AdverseEventView; onAmend: (() => void) | null }) {
  const time = useClinicTime();
  const v = event.current;
  return (
    <Stack gap={4} component="article" aria-label={`Adverse event: ${categoryLabels[v.category]}`}>
      <Group gap="xs">
        <Text fw={700}>{categoryLabels[v.category]}</Text>
        <Badge color={v.severity === 'severe' ? 'red' : v.severity === 'moderate' ? 'orange' : 'yellow'}>
          {severityLabels[v.severity]}
        </Badge>
        {v.serious && (
          <Badge color="red" variant="filled">
            Serious{event.alert ? (event.alert.status === 'open' ? ': follow-up open' : ': followed up') : ''}
          </Badge>
        )}
        <Text size="sm" c="dimmed">
          from {time(v.onsetAt)}
        </Text>
      </Group>
      <Text>{v.description}</Text>
      <Text size="sm">
        <b>Action:</b> {v.actionTaken}. <b>Outcome:</b> {outcomeLabels[v.outcome]}.
      </Text>
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          Recorded by {v.recordedBy.displayName}, {time(v.recordedAt)}
          {v.version > 1 ? ` · version ${v.version}, amended: ${v.amendmentReason}` : ''}
        </Text>
        {onAmend && (
          <Button size="md" variant="subtle" onClick={onAmend}>
            Amend
          </Button>
        )}
      </Group>
    </Stack>
  );
}

/**
 * Adverse events of the session: severity, what happened, action taken, outcome; serious ones raise an alert
 * for follow-up. A recorded event is amended, never overwritten.
 */
export function AdverseEventsPanel({ session }: { session: SessionView }) {
  const can = usePermissions();
  const fromView = asFlow(session).adverseEvents ?? null;
  const events = useAdverseEvents(session.id, fromView === null);
  const [editing, setEditing] = useState<'new' | string | null>(null);
  const canRecord = can('session.monitor') && session.state !== 'scheduled';
  const items = fromView ?? events.data?.items ?? [];
  const serious = items.filter((e) => e.current.serious).length;

  return (
    <FlowPanel
      id="adverse-events-panel"
      title="Adverse events"
      status={
        items.length === 0
          ? { label: 'None recorded', color: 'gray' }
          : {
              label: `${items.length} recorded${serious ? `, ${serious} serious` : ''}`,
              color: serious ? 'red' : 'orange',
            }
      }
    >
      {fromView === null && events.isPending && <Loader aria-label="Loading adverse events" />}
      {fromView === null && events.isError && (
        <Alert color="red" role="alert" title="Adverse events could not be loaded">
          {problemMessage(events.error)}
        </Alert>
      )}
      {items.map((event) =>
        editing === event.seriesId ? (
          <EventForm
            key={event.seriesId}
            sessionId={session.id}
            amending={event}
            onDone={() => setEditing(null)}
          />
        ) : (
          <EventCard
            key={event.seriesId}
            event={event}
            onAmend={canRecord && editing === null ? () => setEditing(event.seriesId) : null}
          />
        ),
      )}
      {canRecord && editing === 'new' && (
        <EventForm sessionId={session.id} amending={null} onDone={() => setEditing(null)} />
      )}
      {/* An event noticed after discharge (a call that evening) is still recorded against the session. */}
      {canRecord && editing === null && (
        <Group>
          <Button size={touch} color="red" variant="light" onClick={() => setEditing('new')}>
            Record adverse event
          </Button>
        </Group>
      )}
    </FlowPanel>
  );
}
