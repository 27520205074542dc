import {
  Accordion,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  NativeSelect,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { ApiProblem, problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { formatInstant } from '../patients/patient-format.ts';
import {
  type ConsentKind,
  type ConsentRoute,
  type ConsentTemplate,
  useConsentTemplates,
  useCreateTemplate,
  usePublishVersion,
} from './consent.api.ts';
import { kindLabels, requirementOf, routeLabels } from './consent-format.ts';
import { ConsentTextView } from './consent-text.tsx';

const placeholderHelp =
  'Use {{patientName}}, {{clinicName}} and {{date}}; they are filled in for each patient. Lines starting “## ” are headings, “- ” list items.';

function PublishDialog({ template, onClose }: { template: ConsentTemplate; onClose: () => void }) {
  const publish = usePublishVersion(template.id);
  const [title, setTitle] = useState(template.currentVersion.title);
  const [body, setBody] = useState(template.currentVersion.body);
  const [changeNote, setChangeNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setProblem(null);
    const local: Record<string, string> = {};
    if (changeNote.trim().length < 3) local.changeNote = 'Say what changed (patients see this).';
    if (body.trim() === template.currentVersion.body.trim() && title.trim() === template.currentVersion.title)
      local.body = 'The text is the same as the version in use.';
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    try {
      const published = await publish.mutateAsync({
        title: title.trim(),
        body: body.trim(),
        changeNote: changeNote.trim(),
      });
      notifications.show({
        color: 'green',
        message: `Version ${published.currentVersion.version} of “${published.title}” published.`,
      });
      onClose();
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) setErrors(caught.fieldMessages());
      setProblem(problemMessage(caught));
    }
  }

  return (
    <Modal opened onClose={onClose} title={`Publish a new version of “${template.title}”`} size="xl" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <Alert color="orange" title="Patients will have to sign again">
            Every patient who signed version {template.currentVersion.version} must sign the new version
            before their next dosing session. Earlier versions and their signatures are kept unchanged.
          </Alert>
          <TextInput
            label="Title"
            required
            value={title}
            error={errors.title}
            onChange={(event) => setTitle(event.currentTarget.value)}
          />
          <Textarea
            label="Text"
            description={placeholderHelp}
            required
            autosize
            minRows={10}
            maxRows={24}
            value={body}
            error={errors.body}
            onChange={(event) => setBody(event.currentTarget.value)}
          />
          <TextInput
            label="What changed"
            description="Shown to staff and to patients asked to sign again."
            required
            value={changeNote}
            error={errors.changeNote}
            onChange={(event) => setChangeNote(event.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={publish.isPending}>
              Publish version
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const allKinds = Object.keys(kindLabels) as ConsentKind[];
const optionalKinds: ConsentKind[] = ['touch', 'recording', 'research'];
const allRoutes = Object.keys(routeLabels) as ConsentRoute[];

function AddTemplateDialog({ existing, onClose }: { existing: ConsentKind[]; onClose: () => void }) {
  const create = useCreateTemplate();
  const available = allKinds.filter((k) => !existing.includes(k));
  const [kind, setKind] = useState<ConsentKind>(available[0] ?? 'general');
  const [title, setTitle] = useState('');
  const [routes, setRoutes] = useState<ConsentRoute[]>([]);
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const optional = optionalKinds.includes(kind);
  const general = kind === 'general';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setProblem(null);
    try {
      await create.mutateAsync({
        kind,
        title: title.trim(),
        required: !optional,
        routes: general || optional ? [] : routes,
        body: body.trim(),
      });
      notifications.show({ color: 'green', message: `“${title.trim()}” published as version 1.` });
      onClose();
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) setErrors(caught.fieldMessages());
      setProblem(problemMessage(caught));
    }
  }

  return (
    <Modal opened onClose={onClose} title="Add a consent form" size="xl" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <NativeSelect
            label="Kind of form"
            data={available.map((k) => ({ value: k, label: kindLabels[k] }))}
            value={kind}
            error={errors.kind}
            onChange={(event) => setKind(event.currentTarget.value as ConsentKind)}
          />
          <Text size="sm" c="dimmed">
            {general
              ? 'Required before any treatment, whatever the route.'
              : optional
                ? 'Optional: treatment never depends on it.'
                : 'Required before dosing by the routes you choose.'}
          </Text>
          {!general && !optional && (
            <Checkbox.Group
              label="Routes it is required for"
              value={routes}
              error={errors.routes}
              onChange={(value) => setRoutes(value as ConsentRoute[])}
            >
              <Group mt="xs">
                {allRoutes.map((r) => (
                  <Checkbox key={r} value={r} label={routeLabels[r]} />
                ))}
              </Group>
            </Checkbox.Group>
          )}
          <TextInput
            label="Title"
            required
            value={title}
            error={errors.title}
            onChange={(event) => setTitle(event.currentTarget.value)}
          />
          <Textarea
            label="Text"
            description={placeholderHelp}
            required
            autosize
            minRows={10}
            maxRows={24}
            value={body}
            error={errors.body}
            onChange={(event) => setBody(event.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Publish form
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Admin: the clinic's consent forms, their wording and history, and publishing a new version. */
export function ConsentTemplatesPage() {
  useDocumentTitle('Consent templates');
  const session = useSignedInSession();
  const templates = useConsentTemplates();
  const [publishing, setPublishing] = useState<ConsentTemplate | null>(null);
  const [adding, setAdding] = useState(false);

  if (templates.isPending) return <Loader aria-label="Loading consent templates" />;
  if (templates.isError)
    return (
      <Alert color="red" role="alert" title="Consent templates could not be loaded">
        {problemMessage(templates.error)}
      </Alert>
    );
  const items = templates.data.items;
  const existing = items.map((t) => t.kind);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1} size="h2">
            Consent templates
          </Title>
          <Text c="dimmed" size="sm">
            The forms patients read and sign in the portal. Publishing a new version keeps the old one and
            asks every patient to sign again before their next dosing session.
          </Text>
        </Stack>
        {existing.length < allKinds.length && <Button onClick={() => setAdding(true)}>Add a form</Button>}
      </Group>
      {items.length === 0 && <Text>No consent forms yet.</Text>}
      <Accordion variant="separated" multiple>
        {items.map((template) => (
          <Accordion.Item key={template.id} value={template.id}>
            <Accordion.Control>
              <Group gap="sm" wrap="wrap">
                <Text fw={600}>{template.title}</Text>
                <Badge variant="light">{kindLabels[template.kind]}</Badge>
                <Badge variant="outline" color={template.required ? 'blue' : 'gray'}>
                  {requirementOf(template)}
                </Badge>
                <Text size="sm" c="dimmed">
                  version {template.currentVersion.version}
                </Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Stack gap="md">
                <Group justify="space-between">
                  <Text size="sm" c="dimmed">
                    Version {template.currentVersion.version}, published{' '}
                    {formatInstant(template.currentVersion.publishedAt, session.clinic.timeZone)} by{' '}
                    {template.currentVersion.publishedBy.displayName}
                  </Text>
                  <Button variant="light" onClick={() => setPublishing(template)}>
                    Publish a new version
                  </Button>
                </Group>
                <ConsentTextView text={template.currentVersion.body} headingOrder={4} />
                <Stack gap={4}>
                  <Title order={3} size="h6">
                    History
                  </Title>
                  {template.versions.map((v) => (
                    <Text key={v.id} size="sm">
                      Version {v.version}: {formatInstant(v.publishedAt, session.clinic.timeZone)},{' '}
                      {v.publishedBy.displayName}
                      {v.changeNote ? ` — ${v.changeNote}` : ''}
                    </Text>
                  ))}
                </Stack>
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
      {publishing && <PublishDialog template={publishing} onClose={() => setPublishing(null)} />}
      {adding && <AddTemplateDialog existing={existing} onClose={() => setAdding(false)} />}
    </Stack>
  );
}
