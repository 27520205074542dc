import { Alert, Card, DataList, Loader, Stack, Text, Title } from '@mantine/core';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { ConsentFormsCard } from '../consent/consent-forms-card.tsx';
import { IntakeCard } from '../intake/intake-card.tsx';
import { DueMeasuresCard } from '../measures/due-measures-card.tsx';
import { formatDate } from '../patients/patient-format.ts';
import { PortalAppointmentsCard } from '../scheduling/portal-appointments.tsx';
import { useOwnRecord } from './portal.api.ts';
import { PortalDischargeInstructionsCard } from './portal-discharge-instructions.tsx';

export function PortalHome() {
  useDocumentTitle('Home');
  const record = useOwnRecord();

  if (record.isPending) return <Loader aria-label="Loading your details" />;
  if (record.isError) {
    return (
      <Alert color="red" role="alert" title="Your details could not be loaded">
        {problemMessage(record.error)}
      </Alert>
    );
  }
  const me = record.data;
  const address = me.address;
  const contact = me.emergencyContact;
  const rows: [string, string][] = [
    ['Name', `${me.givenName} ${me.familyName}`],
    ['Preferred name', me.preferredName ?? '—'],
    ['Date of birth', formatDate(me.dateOfBirth)],
    ['Pronouns', me.pronouns ?? '—'],
    ['Email address', me.email ?? '—'],
    ['Phone', me.phone ?? '—'],
    [
      'Address',
      address
        ? [
            address.line1,
            address.line2,
            `${address.city}, ${address.region} ${address.postalCode}`,
            address.country,
          ]
            .filter(Boolean)
            .join(', ')
        : '—',
    ],
    ['Emergency contact', contact ? `${contact.name} (${contact.relationship}), ${contact.phone}` : '—'],
    ['Medical record number', me.mrn],
  ];

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Welcome, {me.preferredName ?? me.givenName}
      </Title>
      <Text c="dimmed">
        Your questionnaires, consent forms, session schedule and journal will appear here as your care team
        sets them up.
      </Text>
      <PortalDischargeInstructionsCard />
      <IntakeCard />
      <DueMeasuresCard />
      <ConsentFormsCard />
      <PortalAppointmentsCard />
      <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="my-details-title">
        <Title order={2} size="h4" id="my-details-title" mb="sm">
          Your details
        </Title>
        <DataList labelWidth={180}>
          {rows.map(([label, value]) => (
            <DataList.Item key={label}>
              <DataList.ItemLabel>{label}</DataList.ItemLabel>
              <DataList.ItemValue>{value}</DataList.ItemValue>
            </DataList.Item>
          ))}
        </DataList>
        <Text size="xs" c="dimmed" mt="sm">
          If something is wrong, tell the clinic’s front desk and they will correct it.
        </Text>
      </Card>
    </Stack>
  );
}
