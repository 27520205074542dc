import { Alert, Badge, Group, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { isProblem, problemMessage } from '../../api/client.ts';
import { clientId } from '../../api/client-id.ts';
import { formatDate } from '../patients/patient-format.ts';
import type { LedgerLot } from './ledger.types.ts';
import { formatMg, formatQuantity } from './ledger-model.ts';

/**
 * Form state shared by the ledger's dialogs: the client's errors and the server's field messages under one
 * map (the server's paths are the form's field names), and one client id per attempt so a retry after a
 * dropped connection returns the first result instead of a second entry.
 */
export function useLedgerForm() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const attempt = useRef(clientId());
  return {
    errors,
    setErrors,
    id: () => attempt.current,
    /** A new attempt (after a success, or when the form is opened again). */
    renew: () => {
      attempt.current = clientId();
    },
    fromServer: (error: unknown) => {
      if (isProblem(error)) setErrors((e) => ({ ...e, ...error.fieldMessages() }));
    },
  };
}

/** The server's answer to a refused write, in one sentence, announced to screen readers. */
export function ServerError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title="Not recorded">
      {problemMessage(error)}
    </Alert>
  );
}

export function LotHeading({ lot }: { lot: LedgerLot }) {
  return (
    <Group gap="xs" wrap="wrap">
      <Text fw={600}>{lot.productName}</Text>
      <Text size="sm" c="dimmed">
        lot {lot.lotNumber}, expires {formatDate(lot.expiresOn)}
      </Text>
      <Badge variant="light">
        {formatQuantity(lot.balance, lot.unit)} ({formatMg(lot.balanceMg)}) on hand
      </Badge>
      {lot.expired ? <Badge color="red">Expired</Badge> : null}
    </Group>
  );
}
