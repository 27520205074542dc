import { Button, Card, Code, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import type { Meta } from '../../api/types.ts';

/** Published with the demo on purpose (README, `npm start` output): the demo holds synthetic data only. */
export const demoPassword = 'kapstone-demo-2026';

type DemoLogin = NonNullable<Meta['demoLogins']>[number];

interface DemoLoginsProps {
  logins: DemoLogin[];
  onChoose: (email: string) => void;
}

function byClinic(logins: DemoLogin[]): [string, DemoLogin[]][] {
  const groups = new Map<string, DemoLogin[]>();
  for (const login of logins) groups.set(login.clinic, [...(groups.get(login.clinic) ?? []), login]);
  return [...groups.entries()];
}

export function DemoLogins({ logins, onChoose }: DemoLoginsProps) {
  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby="demo-logins-title">
      <Title order={2} size="h4" id="demo-logins-title">
        Demo logins
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Every demo login uses the password <Code>{demoPassword}</Code>. “Use” fills in the form.
      </Text>
      <Stack gap="md">
        {byClinic(logins).map(([clinic, clinicLogins]) => (
          <div key={clinic}>
            <Text fw={600} size="sm" mb={4}>
              {clinic}
            </Text>
            <Table striped verticalSpacing={2} fz="sm" aria-label={`Demo logins of ${clinic}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Email</Table.Th>
                  <Table.Th scope="col">Role</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>Action</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {clinicLogins.map((login) => (
                  <Table.Tr key={login.email}>
                    <Table.Td>{login.email}</Table.Td>
                    <Table.Td>{login.role}</Table.Td>
                    <Table.Td ta="right">
                      <Button
                        size="compact-xs"
                        variant="light"
                        onClick={() => onChoose(login.email)}
                        aria-label={`Use ${login.email}`}
                      >
                        Use
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
      </Stack>
    </Card>
  );
}
