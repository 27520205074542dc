import { Alert, Anchor, Badge, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { problemMessage } from '../../api/client.ts';
import { usePermissions } from '../auth/auth.api.ts';
import type { SessionView } from '../sessions/sessions.types.ts';
import { remsFormPdfUrl, useRemsForm } from './rems.api.ts';
import { deadlineStanding } from './rems-model.ts';

/**
 * The SPRAVATO REMS Patient Monitoring Form of one session, on the chair screen from monitoring on
 * (clinical-reference 2.6): what the form still lacks is shown before the patient leaves, while whoever
 * can answer it is in the room; the form itself is completed and marked submitted on the REMS page.
 */
export function RemsSessionCard({ session }: { session: SessionView }) {
  const can = usePermissions();
  const relevant =
    session.product === 'esketamine' &&
    (session.state === 'monitoring' || session.state === 'discharged') &&
    can('rems.read');
  const form = useRemsForm(relevant ? session.id : null);
  if (!relevant) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="rems-card-title" data-testid="rems-card">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4" id="rems-card-title">
            SPRAVATO REMS monitoring form
          </Title>
          {form.data && (
            <Badge color={form.data.completeness.complete ? 'green' : 'orange'} variant="light">
              {form.data.completeness.complete
                ? 'Complete'
                : `${form.data.completeness.missing.length} missing`}
            </Badge>
          )}
        </Group>
        {form.isError && (
          <Alert color="red" role="alert">
            {problemMessage(form.error)}
          </Alert>
        )}
        {form.data && !form.data.completeness.complete && (
          <List size="sm" aria-label="Missing from the REMS form">
            {form.data.completeness.missing.map((m) => (
              <List.Item key={m.field}>
                {m.label}
                {m.requiredBy === 'rems-form' ? ' (required by the form)' : ''}
              </List.Item>
            ))}
          </List>
        )}
        {form.data?.completeness.warnings.map((w) => (
          <Text key={w.field} size="sm" c="orange.8">
            {w.message}
          </Text>
        ))}
        {form.data?.deadline && <Text size="sm">{deadlineStanding(form.data.deadline).label}</Text>}
        <Group>
          {form.data && (
            <Anchor href={remsFormPdfUrl(form.data)} target="_blank" rel="noopener">
              REMS form (PDF)
            </Anchor>
          )}
          <Anchor component={Link} to="/rems">
            Complete or submit on the REMS page
          </Anchor>
        </Group>
      </Stack>
    </Paper>
  );
}
