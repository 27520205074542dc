import { Button, Card, Code, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import type { Meta } from '../../api/types.ts';

/** Published with the demo on purpose (README, `npm start` output): the demo holds synthetic data only. */
export const demoPassword = 'kapstone-demo-2026';

interface DemoLoginsProps {
  logins: NonNullable<Meta['demoLogins']>;
  onChoose: (email: string) => void;
}

export function DemoLogins({ logins, onChoose }: DemoLoginsProps) {
  return (
    <Card withBorder padding="lg" radius="md" component="section" aria-labelledby="demo-logins-title">
      <Title order={2} size="h4" id="demo-logins-title">
        Demo logins
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Every demo login uses the password <Code>{demoPassword}</Code>.
      </Text>
      <Table.ScrollContainer minWidth={360}>
        <Table striped verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Email</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Clinic</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>Action</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {logins.map((login) => (
              <Table.Tr key={login.email}>
                <Table.Td>{login.email}</Table.Td>
                <Table.Td>{login.role}</Table.Td>
                <Table.Td>{login.clinic}</Table.Td>
                <Table.Td>
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
      </Table.ScrollContainer>
    </Card>
  );
}
