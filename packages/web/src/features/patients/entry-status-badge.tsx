import { Badge } from '@mantine/core';

const statusStyles: Record<string, { color: string; label: string }> = {
  active: { color: 'green', label: 'Active' },
  resolved: { color: 'gray', label: 'Resolved' },
  stopped: { color: 'gray', label: 'Stopped' },
  inactive: { color: 'gray', label: 'Inactive' },
  'entered-in-error': { color: 'red', label: 'Entered in error' },
};

export function EntryStatusBadge({ status }: { status: string }) {
  const style = statusStyles[status] ?? { color: 'gray', label: status };
  return (
    <Badge color={style.color} variant="light" size="sm">
      {style.label}
    </Badge>
  );
}
