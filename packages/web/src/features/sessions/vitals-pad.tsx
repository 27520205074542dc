import type { VitalsClassification } from '@kapstone/clinical';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconBackspace, IconMinus, IconPlus } from '@tabler/icons-react';
import { useMemo, useRef, useState } from 'react';
import { clientId } from '../../api/client-id.ts';
import { queueVitals, usePendingWrites } from './session-queue.ts';
import type { SessionView } from './sessions.types.ts';
import {
  checkVitalsEntry,
  classifyEntry,
  emptyVitalsEntry,
  lastValues,
  levelColors,
  levelLabels,
  pressDigit,
  stepValue,
  type VitalsEntry,
  type VitalsEntryField,
  vitalsEntryFields,
  vitalsFieldInfo,
} from './vitals-entry-model.ts';

/**
 * The vitals pad at the chair: tap a measure, type it on the big number pad (it moves on by itself once the
 * number is complete) or step it with −/+ from the last reading, see at once what it means against the
 * clinic's thresholds, and record. The reading is queued first, so a dropped connection loses nothing; the
 * pending list says what is still on its way.
 */

interface Saved {
  id: string;
  /** What the pad computed before sending; the server's classification replaces it once recorded. */
  provisional: VitalsClassification | null;
}

/**
 * What became of the reading just entered: recorded (with the server's classification: the one in the
 * record, which raised any alert), or kept on the tablet with the pad's own classification until it is sent.
 */
function SavedReading({
  saved,
  session,
  queued,
  onClose,
}: {
  saved: Saved;
  session: SessionView;
  /** Its state in the queue; null once it left the queue (sent). */
  queued: 'pending' | 'rejected' | null;
  onClose: () => void;
}) {
  const recorded = session.vitals.find((v) => v.id === saved.id);
  const classification = recorded?.classification ?? saved.provisional;
  const level = classification?.level ?? null;
  const title = recorded
    ? level === 'critical'
      ? 'Critical reading recorded: act now, then acknowledge the alert'
      : level === 'warning'
        ? 'Warning reading recorded: acknowledge the alert'
        : 'Reading recorded'
    : queued === 'pending'
      ? level === 'critical'
        ? 'Critical reading, not yet sent: act now; the alert follows once it is sent'
        : 'Reading kept on this tablet: it is sent when the connection returns'
      : queued === 'rejected'
        ? 'Reading not recorded: see the message above'
        : 'Reading sent';
  return (
    <Alert
      color={level ? levelColors[level] : 'gray'}
      role="status"
      title={title}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onClose}
      data-testid="last-reading-result"
    >
      {classification && classification.reasons.length > 0
        ? classification.reasons.join('; ')
        : 'Within the clinic’s thresholds.'}
    </Alert>
  );
}

const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'backspace', '0', 'next'] as const;

export function VitalsPad({ session, onRecorded }: { session: SessionView; onRecorded?: () => void }) {
  const [entry, setEntry] = useState<VitalsEntry>(emptyVitalsEntry);
  const [active, setActive] = useState<VitalsEntryField>('systolic');
  const [errors, setErrors] = useState<Partial<Record<VitalsEntryField, string>>>({});
  const [attemptId, setAttemptId] = useState(clientId);
  const [lastSaved, setLastSaved] = useState<Saved | null>(null);
  const pending = usePendingWrites(session.id);
  const inputs = useRef<Partial<Record<VitalsEntryField, HTMLInputElement | null>>>({});
  const previous = useMemo(() => lastValues(session.vitals), [session.vitals]);
  const options = { baseline: session.baselineVitals ?? null, thresholds: session.thresholds ?? null };
  const live = classifyEntry(entry, options);

  const focus = (field: VitalsEntryField) => {
    setActive(field);
    inputs.current[field]?.focus({ preventScroll: true });
  };
  const nextField = (field: VitalsEntryField) => {
    const index = vitalsEntryFields.indexOf(field);
    return vitalsEntryFields[index + 1] ?? null;
  };

  const press = (key: (typeof keys)[number]) => {
    if (key === 'next') {
      const next = nextField(active);
      if (next) focus(next);
      return;
    }
    const result = pressDigit(entry, active, key);
    setEntry(result.entry);
    setErrors((e) => ({ ...e, [active]: undefined }));
    if (result.advance) {
      const next = nextField(active);
      if (next) focus(next);
    }
  };

  const record = () => {
    const {
      submission,
      errors: found,
      classification,
    } = checkVitalsEntry(entry, attemptId, new Date(), options);
    setErrors(found);
    if (!submission) {
      const first = vitalsEntryFields.find((f) => found[f]);
      if (first) focus(first);
      return;
    }
    queueVitals(session.id, submission);
    setLastSaved({ id: submission.id, provisional: classification });
    setEntry(emptyVitalsEntry);
    setAttemptId(clientId());
    focus('systolic');
    onRecorded?.();
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="vitals-pad-heading">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} size="h3" id="vitals-pad-heading">
            Record vitals
          </Title>
          <Group gap="xs" wrap="nowrap">
            <Button
              variant="subtle"
              size="md"
              onClick={() => {
                setEntry(emptyVitalsEntry);
                setErrors({});
                focus('systolic');
              }}
            >
              Clear
            </Button>
            <Badge
              size="xl"
              variant="filled"
              color={live ? levelColors[live.level] : 'gray'}
              role="status"
              aria-live="polite"
              aria-label={
                live ? `Classification: ${levelLabels[live.level]}` : 'Classification: nothing entered'
              }
            >
              {live ? levelLabels[live.level] : 'Nothing entered'}
            </Badge>
          </Group>
        </Group>

        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Stack gap={8}>
            {vitalsEntryFields.map((field) => {
              const info = vitalsFieldInfo[field];
              const last = previous[field];
              return (
                <Group
                  key={field}
                  gap={6}
                  wrap="nowrap"
                  align="center"
                  p={4}
                  style={{
                    borderRadius: 8,
                    background: active === field ? 'var(--mantine-color-blue-light)' : undefined,
                  }}
                >
                  <ActionIcon
                    size={56}
                    variant="default"
                    aria-label={`${info.label} down 1`}
                    onClick={() => {
                      setEntry(stepValue(entry, field, -1, last));
                      setActive(field);
                    }}
                  >
                    <IconMinus size={24} aria-hidden />
                  </ActionIcon>
                  <TextInput
                    ref={(node) => {
                      inputs.current[field] = node;
                    }}
                    style={{ flex: 1 }}
                    label={`${info.label} (${info.unit})`}
                    description={last !== undefined ? `Last ${last}` : 'No earlier reading'}
                    // The pad beside is the keyboard on a tablet; a hardware keyboard still types.
                    inputMode="none"
                    autoComplete="off"
                    value={entry[field]}
                    error={errors[field]}
                    onFocus={() => setActive(field)}
                    onChange={(event) => {
                      const digits = event.currentTarget.value.replace(/[^0-9]/g, '').slice(0, 3);
                      setEntry({ ...entry, [field]: digits });
                      setErrors((e) => ({ ...e, [field]: undefined }));
                    }}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter') {
                        event.preventDefault();
                        record();
                      }
                    }}
                    styles={{
                      label: { fontSize: 15, fontWeight: 600 },
                      input: { height: 52, fontSize: 30, fontWeight: 700, textAlign: 'center' },
                    }}
                  />
                  <ActionIcon
                    size={56}
                    variant="default"
                    aria-label={`${info.label} up 1`}
                    onClick={() => {
                      setEntry(stepValue(entry, field, 1, last));
                      setActive(field);
                    }}
                  >
                    <IconPlus size={24} aria-hidden />
                  </ActionIcon>
                </Group>
              );
            })}
          </Stack>

          <Stack gap={8}>
            <SimpleGrid cols={3} spacing={6} role="group" aria-label="Number pad">
              {keys.map((key) => (
                <UnstyledButton
                  key={key}
                  onClick={() => press(key)}
                  aria-label={
                    key === 'backspace'
                      ? 'Delete last digit'
                      : key === 'next'
                        ? 'Next measure'
                        : `Digit ${key}`
                  }
                  style={{
                    minHeight: 60,
                    borderRadius: 8,
                    border: '1px solid var(--mantine-color-default-border)',
                    background: 'var(--mantine-color-default)',
                    fontSize: 26,
                    fontWeight: 600,
                    display: 'flex',
                    alignItems: 'center',
                    justifyContent: 'center',
                  }}
                >
                  {key === 'backspace' ? (
                    <IconBackspace size={26} aria-hidden />
                  ) : key === 'next' ? (
                    <Text fw={600}>Next</Text>
                  ) : (
                    key
                  )}
                </UnstyledButton>
              ))}
            </SimpleGrid>
            <Button size="xl" onClick={record} fullWidth>
              Record reading
            </Button>
          </Stack>
        </SimpleGrid>

        {live && live.reasons.length > 0 && (
          <Alert color={levelColors[live.level]} variant="light" p="xs" aria-label="Why">
            <List size="sm">
              {live.reasons.map((reason) => (
                <List.Item key={reason}>{reason}</List.Item>
              ))}
            </List>
          </Alert>
        )}

        {lastSaved && (
          <SavedReading
            saved={lastSaved}
            session={session}
            queued={pending.find((w) => w.id === lastSaved.id)?.status ?? null}
            onClose={() => setLastSaved(null)}
          />
        )}
      </Stack>
    </Paper>
  );
}
