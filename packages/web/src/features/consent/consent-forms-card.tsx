import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useMyConsents } from './consent.api.ts';
import { groupOf, needsSignature } from './consent-format.ts';

/** The portal home's "Consent forms" card: how many forms need the patient, and the way to them. */
export function ConsentFormsCard() {
  const consents = useMyConsents();
  const forms = consents.data?.forms ?? [];
  const toSign = forms.filter((f) => groupOf(f) === 'now' && needsSignature(f.state));
  const signed = forms.filter((f) => f.latestSignature && !f.latestSignature.withdrawal);
  let summary = 'Read and sign the forms your care team needs before treatment.';
  if (consents.isError) summary = 'Your consent forms could not be loaded just now.';
  else if (consents.isSuccess && toSign.length > 0)
    summary = `${toSign.length === 1 ? 'One form needs' : `${toSign.length} forms need`} your signature before your next session.`;
  else if (consents.isSuccess && signed.length > 0)
    summary = `You have signed ${signed.length === 1 ? 'one form' : `${signed.length} forms`}. You can read, download or withdraw them.`;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="consent-card-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="consent-card-title">
          Consent forms
        </Title>
        <Text>{summary}</Text>
        <Group>
          <Button component={Link} to="/portal/consents" size="md">
            Consent forms
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
