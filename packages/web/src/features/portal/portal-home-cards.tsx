import { Badge, Button, Card, Group, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import {
  IconCheck,
  IconChecklist,
  IconCircleDashed,
  IconClock,
  IconInfoCircle,
  IconListCheck,
  IconMapPin,
} from '@tabler/icons-react';
import { Link } from 'react-router';
import type { ChecklistItem, ChecklistState, NextSession, PortalHomeView, Todo } from './portal.api.ts';
import { checklistStateLabels, sessionDay, sessionWhen } from './portal-format.ts';

const touch = { mih: 44 } as const;

/** The next appointment: when, where, how the medicine is given, and what to bring. */
export function NextSessionCard({ session, timeZone }: { session: NextSession | null; timeZone: string }) {
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="next-session-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="next-session-title">
          Your next session
        </Title>
        {session ? (
          <>
            <div>
              <Text fw={700} size="lg" data-testid="next-session-kind">
                {session.title}
              </Text>
              <Text>{sessionWhen(session.startsAt, session.endsAt, timeZone)}</Text>
              {session.routeName && <Text c="dimmed">Medicine given as: {session.routeName}</Text>}
            </div>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <IconMapPin size={18} aria-hidden style={{ flexShrink: 0, marginTop: 3 }} />
              <Text>
                {session.location.clinicName}
                {session.location.roomName ? `, ${session.location.roomName}` : ''}
              </Text>
            </Group>
            {session.whatToBring.length > 0 && (
              <div>
                <Text fw={600}>What to bring</Text>
                <List spacing={4} size="sm">
                  {session.whatToBring.map((thing) => (
                    <List.Item key={thing}>{thing}</List.Item>
                  ))}
                </List>
              </div>
            )}
          </>
        ) : (
          <Text>No session is booked yet. Your clinic will book them with you.</Text>
        )}
        <Group>
          <Button component={Link} to="/portal/appointments" size="md" {...touch}>
            Your appointments
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

const stateIcons: Record<ChecklistState, { color: string; icon: React.ReactNode }> = {
  done: { color: 'green', icon: <IconCheck size={18} aria-hidden /> },
  'to-do': { color: 'orange', icon: <IconCircleDashed size={18} aria-hidden /> },
  waiting: { color: 'blue', icon: <IconClock size={18} aria-hidden /> },
  info: { color: 'gray', icon: <IconInfoCircle size={18} aria-hidden /> },
};

function ChecklistRow({ item }: { item: ChecklistItem }) {
  const look = stateIcons[item.state];
  const labelId = `checklist-${item.id}`;
  return (
    <Card
      component="li"
      withBorder
      padding="sm"
      radius="md"
      aria-labelledby={labelId}
      data-state={item.state}
      data-testid={`checklist-${item.id}`}
      style={item.state === 'to-do' ? { borderColor: 'var(--mantine-color-orange-5)' } : undefined}
    >
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <ThemeIcon color={look.color} variant="light" radius="xl" size={32} aria-hidden>
          {look.icon}
        </ThemeIcon>
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Group gap="xs" justify="space-between" wrap="wrap">
            <Text fw={600} id={labelId}>
              {item.label}
            </Text>
            <Badge color={look.color} variant={item.state === 'to-do' ? 'filled' : 'light'}>
              {checklistStateLabels[item.state]}
            </Badge>
          </Group>
          <Text size="sm">{item.detail}</Text>
          {item.action && (
            <Group>
              <Button
                component={Link}
                to={item.action.to}
                size="md"
                variant={item.state === 'to-do' ? 'filled' : 'default'}
                {...touch}
              >
                {item.action.label}
              </Button>
            </Group>
          )}
        </Stack>
      </Group>
    </Card>
  );
}

/** What to have done before the next ketamine session, each item done or not, with where to act on it. */
export function PreparationChecklistCard({
  preparation,
  timeZone,
}: {
  preparation: NonNullable<PortalHomeView['preparation']>;
  timeZone: string;
}) {
  const open = preparation.items.filter((i) => i.state === 'to-do').length;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="preparation-title">
      <Stack gap="sm">
        <Group gap="xs" wrap="nowrap">
          <IconChecklist size={20} aria-hidden />
          <Title order={2} size="h4" id="preparation-title">
            Before your ketamine session
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          {sessionDay(preparation.startsAt, timeZone)} ·{' '}
          {open === 0
            ? 'Everything on your side is done.'
            : `${open} ${open === 1 ? 'thing' : 'things'} to do.`}
        </Text>
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {preparation.items.map((item) => (
            <ChecklistRow key={item.id} item={item} />
          ))}
        </Stack>
      </Stack>
    </Card>
  );
}

/**
 * Several questionnaires due are one to-do here (the questionnaires card below lists each one), so the list
 * stays short on a phone: "3 questionnaires to fill in", with the button to the first.
 */
export function groupedTodos(todos: Todo[]): Todo[] {
  const questionnaires = todos.filter((t) => t.kind === 'questionnaire');
  if (questionnaires.length < 2) return todos;
  const first = questionnaires[0]!;
  const summary: Todo = {
    kind: 'questionnaire',
    label: `${questionnaires.length} questionnaires to fill in`,
    detail: `First: ${first.label.replace(/^Fill in the /, '')}${first.detail ? ` (${first.detail})` : ''}`,
    dueDate: first.dueDate,
    action: { label: 'Start the first', to: first.action.to },
  };
  return [summary, ...todos.filter((t) => t.kind !== 'questionnaire')];
}

/** Everything waiting for the patient, in one list, each with the button that takes them to it. */
export function TodosCard({ todos: all }: { todos: Todo[] }) {
  const todos = groupedTodos(all);
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="todos-title">
      <Stack gap="sm">
        <Group gap="xs" wrap="nowrap">
          <IconListCheck size={20} aria-hidden />
          <Title order={2} size="h4" id="todos-title">
            Your to-dos
          </Title>
        </Group>
        {todos.length === 0 ? (
          <Text c="dimmed">Nothing waiting for you right now.</Text>
        ) : (
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {todos.map((todo) => (
              <Group
                key={`${todo.kind}-${todo.action.to}`}
                component="li"
                justify="space-between"
                wrap="wrap"
                gap="xs"
                data-testid={`todo-${todo.kind}`}
              >
                <div style={{ minWidth: 0, flex: '1 1 12rem' }}>
                  <Text fw={600}>{todo.label}</Text>
                  {todo.detail && (
                    <Text size="sm" c="dimmed">
                      {todo.detail}
                    </Text>
                  )}
                </div>
                <Button component={Link} to={todo.action.to} size="md" variant="light" {...touch}>
                  {todo.action.label}
                </Button>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
