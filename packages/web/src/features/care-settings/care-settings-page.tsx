import { type ProtocolId, protocols } from '@kapstone/clinical';
import {
  Alert,
  Button,
  Group,
  Loader,
  NumberInput,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { isProblem, problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { AlertSettingsSection } from '../alerts/alert-settings.tsx';
import {
  careSettingsApi,
  careSettingsKeys,
  type IntegrationSettingsView,
  type ReminderSettingsView,
  useIntegrationSettings,
  useReminderSettings,
} from './care-settings.api.ts';

/**
 * Care settings (admins, `care.settings.manage`): the clinic's own numbers for alert escalation, measure
 * reminders and missed measures, and the integration window. Each field says what applies now, what the
 * default is and where it comes from; where the clinical reference gives no number there is no default, and
 * the field says what happens until the clinic sets one. Each tab has its own URL (/care-settings/<section>).
 */

export const careSettingsSections = [
  { value: 'alerts', label: 'Alert escalation' },
  { value: 'reminders', label: 'Measure reminders' },
  { value: 'integration', label: 'Integration window' },
] as const;

type Section = (typeof careSettingsSections)[number]['value'];

const operational = 'Kapstone’s operational default, not a clinical number';
const noReference = 'No default: the clinical reference gives no number';

/** Text input value: '' while empty. */
type Entry = number | string;
const numberOrNull = (value: Entry): number | null => (typeof value === 'number' ? value : null);

function SavedNotice({ children }: { children: ReactNode }) {
  return (
    <Alert color="green" role="status" data-testid="care-settings-saved">
      {children}
    </Alert>
  );
}

function Loading({
  query,
  what,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown };
  what: string;
}) {
  return (
    <>
      {query.isPending && <Loader aria-label={`Loading the ${what}`} />}
      {query.isError && (
        <Alert color="red" role="alert" title="The settings could not be loaded">
          {problemMessage(query.error)}
        </Alert>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Alert escalation (the form itself is features/alerts' own)

function AlertEscalationPanel() {
  return (
    <Stack gap="md">
      <Text size="sm" data-testid="escalation-default">
        {noReference}; until you set one for a severity, its unacknowledged alerts never escalate: they stay
        with the patient’s care team.
      </Text>
      <AlertSettingsSection />
    </Stack>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Measure reminders and missed measures

export interface ReminderDraft {
  sendHour: Entry;
  repeatAfterHours: Entry;
  maxReminders: Entry;
  sms: boolean;
  missedAfterDays: Entry;
}

export function reminderDraftOf(view: ReminderSettingsView): ReminderDraft {
  return {
    sendHour: view.own.sendHour ?? '',
    repeatAfterHours: view.own.repeatAfterHours ?? '',
    maxReminders: view.own.maxReminders ?? '',
    sms: view.effective.sms,
    missedAfterDays: view.own.missedAfterDays ?? '',
  };
}

const hourOfDay = (h: number) => `${String(h).padStart(2, '0')}:00`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function defaulted(own: number | undefined, fallback: number, say: (n: number) => string): string {
  return own === undefined
    ? `Now ${say(fallback)}: the default (${operational}). Leave empty to keep it.`
    : `Now ${say(own)}: set by the clinic. Default ${say(fallback)} (${operational}); empty the field to go back to it.`;
}

/** The reminder fields, each with what applies, its default and the server's message for it. */
export function ReminderSettingsFields({
  loaded,
  draft,
  errors,
  onChange,
}: {
  loaded: ReminderSettingsView;
  draft: ReminderDraft;
  errors: Record<string, string>;
  onChange: (draft: ReminderDraft) => void;
}) {
  const { own, defaults } = loaded;
  const set = (patch: Partial<ReminderDraft>) => onChange({ ...draft, ...patch });
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <NumberInput
          id="reminders-sendHour"
          label="First reminder at (hour, clinic time)"
          description={defaulted(own.sendHour, defaults.sendHour, hourOfDay)}
          placeholder={`Default ${defaults.sendHour}`}
          min={0}
          max={23}
          allowDecimal={false}
          clampBehavior="none"
          value={draft.sendHour}
          onChange={(sendHour) => set({ sendHour })}
          error={errors.sendHour}
        />
        <NumberInput
          id="reminders-repeatAfterHours"
          label="Remind again after (hours)"
          description={defaulted(own.repeatAfterHours, defaults.repeatAfterHours, (n) =>
            plural(n, 'hour', 'hours'),
          )}
          placeholder={`Default ${defaults.repeatAfterHours}`}
          min={1}
          max={336}
          allowDecimal={false}
          clampBehavior="none"
          value={draft.repeatAfterHours}
          onChange={(repeatAfterHours) => set({ repeatAfterHours })}
          error={errors.repeatAfterHours}
        />
        <NumberInput
          id="reminders-maxReminders"
          label="Reminders per measure at most (0: none)"
          description={defaulted(own.maxReminders, defaults.maxReminders, (n) =>
            plural(n, 'reminder', 'reminders'),
          )}
          placeholder={`Default ${defaults.maxReminders}`}
          min={0}
          max={10}
          allowDecimal={false}
          clampBehavior="none"
          value={draft.maxReminders}
          onChange={(maxReminders) => set({ maxReminders })}
          error={errors.maxReminders}
        />
      </SimpleGrid>
      <Switch
        id="reminders-sms"
        label="Also send a text message to patients with a phone number"
        description={
          own.sms === undefined
            ? 'Now off: the default. Reminders go by email and the portal.'
            : `Now ${own.sms ? 'on' : 'off'}: set by the clinic. Default off.`
        }
        checked={draft.sms}
        onChange={(event) => set({ sms: event.currentTarget.checked })}
        error={errors.sms}
      />
      <NumberInput
        id="reminders-missedAfterDays"
        label="A measure counts as missed after (days past its due day)"
        description={
          own.missedAfterDays === undefined
            ? `Not set. ${noReference}; until you set one, no measure is marked missed and no missed-measure alert is raised.`
            : `Now ${plural(own.missedAfterDays, 'day', 'days')} after the due day: set by the clinic, which then raises a missed-measure alert. ${noReference}; empty the field and nothing is marked missed.`
        }
        placeholder="Not set: nothing is marked missed"
        min={0}
        max={60}
        allowDecimal={false}
        clampBehavior="none"
        value={draft.missedAfterDays}
        onChange={(missedAfterDays) => set({ missedAfterDays })}
        error={errors.missedAfterDays}
        maw={420}
      />
    </Stack>
  );
}

function ReminderSettingsForm({ loaded, onSaved }: { loaded: ReminderSettingsView; onSaved: () => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(() => reminderDraftOf(loaded));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setErrors({});
    try {
      const saved = await careSettingsApi.saveReminders({
        sendHour: numberOrNull(draft.sendHour),
        repeatAfterHours: numberOrNull(draft.repeatAfterHours),
        maxReminders: numberOrNull(draft.maxReminders),
        sms: draft.sms,
        missedAfterDays: numberOrNull(draft.missedAfterDays),
      });
      notifications.show({ color: 'green', message: 'Measure reminder settings saved' });
      onSaved();
      queryClient.setQueryData(careSettingsKeys.reminders, saved);
    } catch (caught) {
      if (isProblem(caught, 400)) setErrors(caught.fieldMessages());
      setError(caught);
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Measure reminders">
      <Stack gap="md">
        {error !== null && (
          <Alert color="red" role="alert" title="Not saved">
            {problemMessage(error)}
          </Alert>
        )}
        <ReminderSettingsFields loaded={loaded} draft={draft} errors={errors} onChange={setDraft} />
        <Group justify="flex-end">
          <Button type="submit" loading={pending}>
            Save measure reminders
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RemindersPanel() {
  const query = useReminderSettings();
  const [saved, setSaved] = useState(false);
  return (
    <Stack gap="md">
      <Text size="sm">
        When a due questionnaire is reminded, how often and how many times, and when an unanswered one counts
        as missed.
      </Text>
      {saved && (
        <SavedNotice>Measure reminder settings saved. They apply from the next reminder run.</SavedNotice>
      )}
      <Loading query={query} what="reminder settings" />
      {query.data && (
        <ReminderSettingsForm
          key={JSON.stringify(query.data.own)}
          loaded={query.data}
          onSaved={() => setSaved(true)}
        />
      )}
    </Stack>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Integration window

export interface IntegrationDraft {
  /** The clinic sets one window for every protocol that expects integration. */
  own: boolean;
  first: Entry;
  last: Entry;
}

export function integrationDraftOf(view: IntegrationSettingsView): IntegrationDraft {
  return view.windowDays
    ? { own: true, first: view.windowDays[0], last: view.windowDays[1] }
    : { own: false, first: '', last: '' };
}

/** The server's paths (windowDays.0, windowDays.1; windowDays for the order of the two) to the two fields. */
export function integrationFieldErrors(messages: Record<string, string>): { first?: string; last?: string } {
  const first = messages['windowDays.0'];
  const last = messages['windowDays.1'] ?? messages.windowDays;
  return { ...(first ? { first } : {}), ...(last ? { last } : {}) };
}

const protocolIds = Object.keys(protocols) as ProtocolId[];
const daysAfter = (w: readonly [number, number]) =>
  w[0] === w[1] ? `day ${w[0]} after each dose` : `days ${w[0]}–${w[1]} after each dose`;

export function IntegrationWindowFields({
  loaded,
  draft,
  errors,
  onChange,
}: {
  loaded: IntegrationSettingsView;
  draft: IntegrationDraft;
  errors: { first?: string; last?: string };
  onChange: (draft: IntegrationDraft) => void;
}) {
  const set = (patch: Partial<IntegrationDraft>) => onChange({ ...draft, ...patch });
  return (
    <Stack gap="md">
      <Text size="sm" id="integration-current">
        {loaded.windowDays
          ? `Now ${daysAfter(loaded.windowDays)}, for every protocol with integration: set by the clinic.`
          : 'Now each protocol’s own window: the default.'}{' '}
        Default: the protocol’s window, days 1–3 after each dose for the KAP and IV protocols (the issue’s
        default; the clinical reference, 5.3, gives the cadence of integration visits but no day count).
        SPRAVATO protocols expect no integration session, whatever is set here.
      </Text>
      <Radio.Group
        label="Integration window"
        value={draft.own ? 'clinic' : 'protocol'}
        onChange={(value) => set({ own: value === 'clinic' })}
      >
        <Stack gap="xs" mt="xs">
          <Radio value="protocol" label="Each protocol’s own window (the default)" />
          <Radio value="clinic" label="One window for the clinic" />
        </Stack>
      </Radio.Group>
      <SimpleGrid cols={{ base: 1, xs: 2 }} maw={520}>
        <NumberInput
          id="integration-first"
          label="From day (after the dose)"
          description="0 is the day of the dose; up to 30."
          min={0}
          max={30}
          allowDecimal={false}
          clampBehavior="none"
          disabled={!draft.own}
          value={draft.first}
          onChange={(first) => set({ first })}
          error={errors.first}
        />
        <NumberInput
          id="integration-last"
          label="To day (after the dose)"
          description="Inclusive; on or after the first day, up to 30."
          min={0}
          max={30}
          allowDecimal={false}
          clampBehavior="none"
          disabled={!draft.own}
          value={draft.last}
          onChange={(last) => set({ last })}
          error={errors.last}
        />
      </SimpleGrid>
      <Table.ScrollContainer minWidth={480}>
        <Table striped aria-label="Integration window by protocol">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Protocol</Table.Th>
              <Table.Th>Its own window</Table.Th>
              <Table.Th>Applies now</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {protocolIds.map((id) => {
              const own = protocols[id].integrationWindowDays;
              const now = loaded.effective[id];
              return (
                <Table.Tr key={id}>
                  <Table.Td>{protocols[id].name}</Table.Td>
                  <Table.Td>{own ? daysAfter(own) : 'No integration session'}</Table.Td>
                  <Table.Td>{now ? daysAfter(now) : 'No integration session'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function IntegrationWindowForm({
  loaded,
  onSaved,
}: {
  loaded: IntegrationSettingsView;
  onSaved: () => void;
}) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(() => integrationDraftOf(loaded));
  const [errors, setErrors] = useState<{ first?: string; last?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setErrors({});
    try {
      const saved = await careSettingsApi.saveIntegration({
        windowDays: draft.own ? [numberOrNull(draft.first), numberOrNull(draft.last)] : null,
      });
      notifications.show({ color: 'green', message: 'Integration window saved' });
      onSaved();
      queryClient.setQueryData(careSettingsKeys.integration, saved);
      await queryClient.invalidateQueries({ queryKey: ['integration'] });
    } catch (caught) {
      if (isProblem(caught, 400)) setErrors(integrationFieldErrors(caught.fieldMessages()));
      setError(caught);
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Integration window">
      <Stack gap="md">
        {error !== null && (
          <Alert color="red" role="alert" title="Not saved">
            {problemMessage(error)}
          </Alert>
        )}
        <IntegrationWindowFields loaded={loaded} draft={draft} errors={errors} onChange={setDraft} />
        <Group justify="flex-end">
          <Button type="submit" loading={pending}>
            Save integration window
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function IntegrationPanel() {
  const query = useIntegrationSettings();
  const [saved, setSaved] = useState(false);
  return (
    <Stack gap="md">
      <Text size="sm">
        The days after a dose within which its integration session is expected; the integration console marks
        a dose due, late or missing by it.
      </Text>
      {saved && (
        <SavedNotice>Integration window saved. The integration console uses it from now on.</SavedNotice>
      )}
      <Loading query={query} what="integration window" />
      {query.data && (
        <IntegrationWindowForm
          key={JSON.stringify(query.data.windowDays)}
          loaded={query.data}
          onSaved={() => setSaved(true)}
        />
      )}
    </Stack>
  );
}

// ---------------------------------------------------------------------------------------------------------

const isSection = (value: string): value is Section => careSettingsSections.some((s) => s.value === value);

/** /care-settings and /care-settings/:section (alerts, reminders, integration). */
export function CareSettingsPage() {
  useDocumentTitle('Care settings');
  const { section } = useParams();
  const navigate = useNavigate();
  const active = section ?? 'alerts';
  if (!isSection(active)) return <Navigate to="/care-settings" replace />;
  return (
    <Stack gap="md" maw={900}>
      <Title order={1} size="h2">
        Care settings
      </Title>
      <Tabs
        value={active}
        onChange={(value) => value && navigate(`/care-settings/${value}`)}
        keepMounted={false}
      >
        <Tabs.List>
          {careSettingsSections.map((s) => (
            <Tabs.Tab key={s.value} value={s.value}>
              {s.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="alerts" pt="md">
          <AlertEscalationPanel />
        </Tabs.Panel>
        <Tabs.Panel value="reminders" pt="md">
          <RemindersPanel />
        </Tabs.Panel>
        <Tabs.Panel value="integration" pt="md">
          <IntegrationPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
