import { Button, Group, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { type FormEvent, useEffect, useState } from 'react';
import type { AuditFilters } from '../../api/types.ts';

/** Suggestions only: the actions the server records in this version. Any other action name is accepted. */
const knownActions = [
  'patient.read',
  'patient.search',
  'patient.create',
  'patient.update',
  'patient.history.read',
  'patient.break-glass',
  'patient.condition.add',
  'patient.condition.status',
  'patient.medication.add',
  'patient.medication.status',
  'patient.allergy.add',
  'patient.allergy.status',
  'auth.login',
  'auth.login-failed',
  'auth.lockout',
  'auth.logout',
  'auth.mfa-enrolled',
  'auth.mfa-failed',
  'auth.password-changed',
  'access.denied',
  'audit.read',
  'audit.export',
  'break-glass.review',
];

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AuditFiltersFormProps {
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}

type Draft = Required<{ [K in keyof AuditFilters]: string }>;

function draftOf(filters: AuditFilters): Draft {
  return {
    patientId: filters.patientId ?? '',
    actorId: filters.actorId ?? '',
    action: filters.action ?? '',
    from: filters.from ?? '',
    to: filters.to ?? '',
  };
}

export function AuditFiltersForm({ filters, onApply }: AuditFiltersFormProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  const [errors, setErrors] = useState<Partial<Draft>>({});
  useEffect(() => setDraft(draftOf(filters)), [filters]);

  const set = (key: keyof Draft, value: string) => setDraft((current) => ({ ...current, [key]: value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems: Partial<Draft> = {};
    if (draft.patientId.trim() && !uuidPattern.test(draft.patientId.trim()))
      problems.patientId = 'Paste a patient id';
    if (draft.actorId.trim() && !uuidPattern.test(draft.actorId.trim()))
      problems.actorId = 'Paste a staff member id';
    if (draft.from && draft.to && draft.from > draft.to) problems.to = 'The end is before the start';
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const next: AuditFilters = {};
    if (draft.patientId.trim()) next.patientId = draft.patientId.trim();
    if (draft.actorId.trim()) next.actorId = draft.actorId.trim();
    if (draft.action.trim()) next.action = draft.action.trim();
    if (draft.from) next.from = draft.from;
    if (draft.to) next.to = draft.to;
    onApply(next);
  }

  return (
    <search aria-label="Filter the audit trail">
      <form onSubmit={submit} noValidate>
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput
            label="Patient ID"
            value={draft.patientId}
            error={errors.patientId}
            onChange={(event) => set('patientId', event.currentTarget.value)}
            style={{ flex: '1 1 260px' }}
            autoComplete="off"
          />
          <TextInput
            label="Actor ID"
            value={draft.actorId}
            error={errors.actorId}
            onChange={(event) => set('actorId', event.currentTarget.value)}
            style={{ flex: '1 1 260px' }}
            autoComplete="off"
          />
          {/* A native datalist: suggestions without a second element labelled "Action" (a combobox listbox). */}
          <TextInput
            label="Action"
            list="audit-action-suggestions"
            value={draft.action}
            onChange={(event) => set('action', event.currentTarget.value)}
            style={{ flex: '1 1 180px' }}
            autoComplete="off"
          />
          <datalist id="audit-action-suggestions">
            {knownActions.map((action) => (
              <option key={action} value={action} />
            ))}
          </datalist>
          <DateInput
            label="From date"
            placeholder="YYYY-MM-DD"
            valueFormat="YYYY-MM-DD"
            clearable
            value={draft.from || null}
            onChange={(value) => set('from', value ?? '')}
            style={{ flex: '1 1 140px' }}
          />
          <DateInput
            label="To date"
            placeholder="YYYY-MM-DD"
            valueFormat="YYYY-MM-DD"
            clearable
            value={draft.to || null}
            error={errors.to}
            onChange={(value) => set('to', value ?? '')}
            style={{ flex: '1 1 140px' }}
          />
          <Group gap="xs" mt={25}>
            <Button type="submit">Apply filters</Button>
            <Button
              variant="default"
              onClick={() => {
                setErrors({});
                onApply({});
              }}
            >
              Clear
            </Button>
          </Group>
        </Group>
      </form>
    </search>
  );
}
