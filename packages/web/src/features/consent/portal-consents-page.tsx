import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  Modal,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileTypePdf } from '@tabler/icons-react';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiProblem, problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import {
  type ConsentForm,
  type ConsentSignature,
  consentDocumentUrl,
  useConsentText,
  useMyConsents,
  useSignConsent,
  useWithdrawMyConsent,
} from './consent.api.ts';
import { groupOf, needsSignature, portalStateLabels, requirementOf } from './consent-format.ts';
import { ConsentTextView } from './consent-text.tsx';
import { sha256Hex } from './sha256.ts';

const groupTitles = {
  now: 'Needed before your next session',
  'other-routes': 'For other ways of giving treatment',
  optional: 'Optional',
} as const;
const groupNotes = {
  now: null,
  'other-routes':
    'These are needed only if your treatment is given this way. Your care team will tell you if one applies to you.',
  optional: 'Your treatment is the same whether or not you sign these.',
} as const;

function WithdrawDialog({ signature, onClose }: { signature: ConsentSignature; onClose: () => void }) {
  const withdraw = useWithdrawMyConsent();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setError(null);
    try {
      await withdraw.mutateAsync({ signatureId: signature.id, reason: reason.trim() || null });
      notifications.show({ color: 'green', message: `You withdrew “${signature.title}”.` });
      onClose();
    } catch (caught) {
      setError(problemMessage(caught));
    }
  }

  return (
    <Modal opened onClose={onClose} title="Withdraw your consent?" centered size="lg">
      <Stack gap="md">
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Text>
          You are withdrawing “{signature.title}”. Your signature stays on file with the date you withdrew it.
          If this form is needed for your treatment, no further sessions can take place until you sign it
          again. Your care team will be in touch.
        </Text>
        <Textarea
          label="Reason (optional)"
          description="You do not have to give a reason."
          autosize
          minRows={2}
          maxLength={2000}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" size="md" onClick={onClose}>
            Keep my consent
          </Button>
          <Button color="red" size="md" loading={withdraw.isPending} onClick={confirm}>
            Withdraw consent
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function FormCard({ form, onWithdraw }: { form: ConsentForm; onWithdraw: (s: ConsentSignature) => void }) {
  const signature = form.latestSignature;
  const titleId = `consent-${form.template.id}`;
  const active = signature && !signature.withdrawal;
  return (
    <Card withBorder radius="md" padding="lg" component="article" aria-labelledby={titleId}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Title order={3} size="h5" id={titleId}>
            {form.template.title}
          </Title>
          <Badge
            variant="light"
            color={needsSignature(form.state) ? 'orange' : form.state === 'valid' ? 'green' : 'blue'}
          >
            {portalStateLabels[form.state]}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {requirementOf(form.template)}
        </Text>
        {signature && (
          <Text size="sm">
            {signature.withdrawal
              ? `You signed version ${signature.version} on ${signature.signedAtLocal} and withdrew it.`
              : `You signed version ${signature.version} on ${signature.signedAtLocal}.`}
          </Text>
        )}
        {form.state === 'outdated' && (
          <Text size="sm">This form has been updated. Please read the new version and sign it again.</Text>
        )}
        <Group gap="sm" mt="xs" wrap="wrap">
          {needsSignature(form.state) && (
            <Button component={Link} to={`/portal/consents/${form.currentVersion.id}`} size="md">
              {form.state === 'not-signed' ? 'Read and sign' : 'Read and sign again'}
            </Button>
          )}
          {signature && (
            <Anchor
              href={consentDocumentUrl.mine(signature.id)}
              target="_blank"
              rel="noopener"
              aria-label={`Download your signed copy of “${form.template.title}” (PDF)`}
            >
              <Group gap={4} component="span">
                <IconFileTypePdf size={18} aria-hidden /> Signed copy (PDF)
              </Group>
            </Anchor>
          )}
          {active && (
            <Button variant="subtle" color="red" size="md" onClick={() => onWithdraw(signature)}>
              Withdraw
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

/** The portal's "Consent forms": what to sign, what was signed, with copies and withdrawal. */
export function PortalConsentsPage() {
  useDocumentTitle('Consent forms');
  const consents = useMyConsents();
  const [withdrawing, setWithdrawing] = useState<ConsentSignature | null>(null);

  if (consents.isPending) return <Loader aria-label="Loading your consent forms" />;
  if (consents.isError)
    return (
      <Alert color="red" role="alert" title="Your consent forms could not be loaded">
        {problemMessage(consents.error)}
      </Alert>
    );
  const { forms, signatures } = consents.data;
  const earlier = signatures.filter((s) => !forms.some((f) => f.latestSignature?.id === s.id));

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Anchor component={Link} to="/portal" size="sm">
          Back to home
        </Anchor>
        <Title order={1} size="h2">
          Consent forms
        </Title>
        <Text c="dimmed">
          Read each form carefully and ask your care team about anything that is unclear. You can download a
          copy of everything you sign, and you can withdraw your consent at any time.
        </Text>
      </Stack>
      {forms.length === 0 && <Text>The clinic has not set up any consent forms yet.</Text>}
      {(['now', 'other-routes', 'optional'] as const).map((group) => {
        const inGroup = forms.filter((f) => groupOf(f) === group);
        if (inGroup.length === 0) return null;
        return (
          <Stack key={group} gap="sm" component="section" aria-labelledby={`group-${group}`}>
            <Title order={2} size="h4" id={`group-${group}`}>
              {groupTitles[group]}
            </Title>
            {groupNotes[group] && (
              <Text size="sm" c="dimmed">
                {groupNotes[group]}
              </Text>
            )}
            {inGroup.map((form) => (
              <FormCard key={form.template.id} form={form} onWithdraw={setWithdrawing} />
            ))}
          </Stack>
        );
      })}
      {earlier.length > 0 && (
        <Stack gap="xs" component="section" aria-labelledby="earlier-signatures">
          <Title order={2} size="h4" id="earlier-signatures">
            Earlier signatures
          </Title>
          {earlier.map((s) => (
            <Group key={s.id} gap="sm" wrap="wrap">
              <Text size="sm">
                {s.title}, version {s.version}, signed {s.signedAtLocal}
                {s.withdrawal ? ' (withdrawn)' : ''}
              </Text>
              <Anchor
                size="sm"
                href={consentDocumentUrl.mine(s.id)}
                target="_blank"
                rel="noopener"
                aria-label={`Download your copy of “${s.title}” version ${s.version} (PDF)`}
              >
                PDF
              </Anchor>
            </Group>
          ))}
        </Stack>
      )}
      {withdrawing && <WithdrawDialog signature={withdrawing} onClose={() => setWithdrawing(null)} />}
    </Stack>
  );
}

/** Reading and signing one form: the exact text, the typed full name, the agreement box, "Sign consent". */
export function PortalConsentSignPage() {
  useDocumentTitle('Sign a consent form');
  const { templateVersionId = '' } = useParams();
  const navigate = useNavigate();
  const shown = useConsentText(templateVersionId);
  const sign = useSignConsent(templateVersionId);
  // One id per attempt at signing: a retry after a lost answer is recognised by the server.
  const [signatureId] = useState(clientId);
  const [typedName, setTypedName] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [displayedHash, setDisplayedHash] = useState<string | null>(null);

  const text = shown.data?.text;
  useEffect(() => {
    let cancelled = false;
    setDisplayedHash(null);
    if (text !== undefined)
      void sha256Hex(text).then((hash) => {
        if (!cancelled) setDisplayedHash(hash);
      });
    return () => {
      cancelled = true;
    };
  }, [text]);

  if (shown.isPending) return <Loader aria-label="Loading the consent form" />;
  if (shown.isError)
    return (
      <Alert color="red" role="alert" title="This form could not be opened">
        {problemMessage(shown.error)}{' '}
        <Anchor component={Link} to="/portal/consents">
          Back to consent forms
        </Anchor>
      </Alert>
    );
  const form = shown.data;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setProblem(null);
    const local: Record<string, string> = {};
    if (!typedName.trim()) local.typedName = 'Type your full name.';
    if (!agreed) local.agreed = 'Tick the box to confirm you have read and agree.';
    setErrors(local);
    if (Object.keys(local).length > 0 || !displayedHash) return;
    try {
      await sign.mutateAsync({
        id: signatureId,
        typedName: typedName.trim(),
        agreed: true,
        textSha256: displayedHash,
      });
      notifications.show({ color: 'green', message: `You signed “${form.title}”. Thank you.` });
      navigate('/portal/consents');
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) setErrors(caught.fieldMessages());
      if (caught instanceof ApiProblem && caught.status === 409 && caught.fieldMessages().textSha256) {
        // The wording (or the date on it) changed since the page opened: show the new text to read.
        await shown.refetch();
      }
      setProblem(problemMessage(caught));
    }
  }

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Anchor component={Link} to="/portal/consents" size="sm">
          Back to consent forms
        </Anchor>
        <Title order={1} size="h2">
          {form.title}
        </Title>
        <Text c="dimmed" size="sm">
          Version {form.version}
          {form.changeNote ? `. What changed: ${form.changeNote}` : ''}
        </Text>
      </Stack>
      {!form.current && (
        <Alert color="orange" role="alert" title="This version is no longer in use">
          A newer version of this form has been published.{' '}
          <Anchor component={Link} to="/portal/consents">
            Go back to sign the current one
          </Anchor>
          .
        </Alert>
      )}
      {displayedHash && displayedHash !== form.textSha256 && (
        <Alert color="red" role="alert" title="This form did not load correctly">
          Reload the page before signing.
        </Alert>
      )}
      <Card withBorder radius="md" padding="lg" component="section" aria-label="Text of the consent form">
        <ConsentTextView text={form.text} />
      </Card>
      {form.current && (
        <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="sign-title">
          <form onSubmit={submit} noValidate>
            <Stack gap="md">
              <Title order={2} size="h4" id="sign-title">
                Sign this form
              </Title>
              {problem && (
                <Alert color="red" role="alert">
                  {problem}
                </Alert>
              )}
              <TextInput
                label="Your full name"
                description="Type your first and last name as they appear in your record."
                size="md"
                autoComplete="name"
                required
                value={typedName}
                error={errors.typedName}
                onChange={(event) => setTypedName(event.currentTarget.value)}
              />
              <Checkbox
                label="I have read and agree"
                size="md"
                checked={agreed}
                error={errors.agreed}
                onChange={(event) => setAgreed(event.currentTarget.checked)}
              />
              <Group>
                <Button type="submit" size="lg" loading={sign.isPending} disabled={!displayedHash}>
                  Sign consent
                </Button>
              </Group>
              <Text size="xs" c="dimmed">
                Your typed name, the date and time, your IP address and browser, and a fingerprint (SHA-256)
                of the exact text above are recorded with your signature.
              </Text>
            </Stack>
          </form>
        </Card>
      )}
    </Stack>
  );
}
