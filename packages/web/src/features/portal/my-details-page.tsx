import { Alert, Card, DataList, Loader, Stack, Text, Title, useMatches } from '@mantine/core';
import { problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { formatDate } from '../patients/patient-format.ts';
import { useOwnRecord } from './portal.api.ts';

/** "My details": the demographics the clinic holds, read-only (the front desk corrects them). */
export function MyDetailsPage() {
  useDocumentTitle('My details');
  const record = useOwnRecord();
  // Label above value on a phone, side by side from the small breakpoint: no sideways scrolling.
  const orientation = useMatches<'vertical' | 'horizontal'>({ base: 'vertical', sm: 'horizontal' });
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
        My details
      </Title>
      <Card withBorder radius="md" padding="lg" component="section" aria-label="Your details">
        <DataList orientation={orientation} labelWidth={180}>
          {rows.map(([label, value]) => (
            <DataList.Item key={label}>
              <DataList.ItemLabel>{label}</DataList.ItemLabel>
              <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>{value}</DataList.ItemValue>
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
