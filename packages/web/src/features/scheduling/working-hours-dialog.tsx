import { Alert, Button, Checkbox, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { apiBase, problemMessage, request } from '../../api/client.ts';
import { messagesFor } from './booking-dialog.tsx';
import { useBookableStaff } from './scheduling.api.ts';

const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

interface Span {
  weekday: number;
  startsAt: string;
  endsAt: string;
}
interface DayRow {
  works: boolean;
  startsAt: string;
  endsAt: string;
}

/**
 * A clinician's weekly hours, one span per weekday, in the clinic's time zone. Bookings outside recorded
 * hours are refused by the server; a person with none recorded is booked with a warning.
 */
export function WorkingHoursDialog({
  opened,
  onClose,
  timeZone,
}: {
  opened: boolean;
  onClose: () => void;
  timeZone: string;
}) {
  const staff = useBookableStaff();
  const queryClient = useQueryClient();
  const [userId, setUserId] = useState<string | null>(null);
  const [days, setDays] = useState<DayRow[]>(() =>
    weekdayNames.map(() => ({ works: false, startsAt: '09:00', endsAt: '17:00' })),
  );
  const hours = useQuery({
    queryKey: ['schedule', 'working-hours', userId],
    enabled: userId !== null,
    queryFn: ({ signal }) =>
      request<{ timeZone: string; items: { userId: string; spans: Span[] }[] }>(`${apiBase}/working-hours`, {
        query: { userId },
        signal,
      }),
  });
  useEffect(() => {
    const spans = hours.data?.items[0]?.spans ?? [];
    setDays(
      weekdayNames.map((_, i) => {
        const span = spans.find((s) => s.weekday === i + 1);
        return span
          ? { works: true, startsAt: span.startsAt, endsAt: span.endsAt }
          : { works: false, startsAt: '09:00', endsAt: '17:00' };
      }),
    );
  }, [hours.data]);
  const save = useMutation({
    mutationFn: (spans: Span[]) =>
      request(`${apiBase}/staff/${userId}/working-hours`, { method: 'PUT', body: { spans } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['schedule', 'working-hours'] }),
  });
  const spans: Span[] = days.flatMap((d, i) =>
    d.works ? [{ weekday: i + 1, startsAt: d.startsAt, endsAt: d.endsAt }] : [],
  );
  const spanIndex = (weekdayIndex: number) => spans.findIndex((s) => s.weekday === weekdayIndex + 1);
  const update = (i: number, patch: Partial<DayRow>) =>
    setDays((current) => current.map((d, k) => (k === i ? { ...d, ...patch } : d)));

  return (
    <Modal opened={opened} onClose={onClose} title="Working hours" size="lg">
      <Stack>
        <Select
          label="Clinician"
          data={(staff.data?.items ?? []).map((s) => ({
            value: s.id,
            label: `${s.displayName} (${s.roles.join(', ')})`,
          }))}
          value={userId}
          onChange={(value) => {
            setUserId(value);
            save.reset();
          }}
        />
        {userId && (
          <>
            <Text size="sm" c="dimmed">
              Hours in the clinic’s time zone ({timeZone}).
            </Text>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Day</Table.Th>
                  <Table.Th scope="col">Works</Table.Th>
                  <Table.Th scope="col">From</Table.Th>
                  <Table.Th scope="col">To</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {days.map((d, i) => {
                  const n = spanIndex(i);
                  const errorOf = (field: string) =>
                    n >= 0
                      ? messagesFor(save.error, `spans.${n}.${field}`).join(' ') || undefined
                      : undefined;
                  return (
                    <Table.Tr key={weekdayNames[i]}>
                      <Table.Th scope="row">{weekdayNames[i]}</Table.Th>
                      <Table.Td>
                        <Checkbox
                          aria-label={`Works on ${weekdayNames[i]}`}
                          checked={d.works}
                          onChange={(e) => update(i, { works: e.currentTarget.checked })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          type="time"
                          aria-label={`${weekdayNames[i]} from`}
                          disabled={!d.works}
                          value={d.startsAt}
                          onChange={(e) => update(i, { startsAt: e.currentTarget.value })}
                          error={errorOf('startsAt')}
                        />
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          type="time"
                          aria-label={`${weekdayNames[i]} to`}
                          disabled={!d.works}
                          value={d.endsAt}
                          onChange={(e) => update(i, { endsAt: e.currentTarget.value })}
                          error={errorOf('endsAt')}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            {save.isError && (
              <Alert color="red" role="alert">
                {problemMessage(save.error)}
              </Alert>
            )}
            {save.isSuccess && (
              <Alert color="green" role="status">
                Working hours saved.
              </Alert>
            )}
            <Group justify="flex-end">
              <Button onClick={() => save.mutate(spans)} loading={save.isPending}>
                Save working hours
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Modal>
  );
}
