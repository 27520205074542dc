import { Button, Group, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconSearch } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { emptyPatientSearch, type PatientSearchFilters } from './patient-search-state.tsx';

interface PatientSearchFormProps {
  initial: PatientSearchFilters;
  onSearch: (filters: PatientSearchFilters) => void;
}

export function PatientSearchForm({ initial, onSearch }: PatientSearchFormProps) {
  const [draft, setDraft] = useState(initial);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch({ q: draft.q.trim(), dateOfBirth: draft.dateOfBirth, mrn: draft.mrn.trim() });
  }

  return (
    <search aria-label="Find a patient">
      <form onSubmit={submit}>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label="Search patients"
            description="Given, family or preferred name"
            placeholder="e.g. Rivera"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={draft.q}
            onChange={(event) => {
              const q = event.currentTarget.value;
              setDraft((current) => ({ ...current, q }));
            }}
            autoComplete="off"
            style={{ flex: '2 1 220px' }}
            data-autofocus
          />
          <DateInput
            label="Date of birth"
            description="YYYY-MM-DD"
            placeholder="YYYY-MM-DD"
            valueFormat="YYYY-MM-DD"
            clearable
            value={draft.dateOfBirth || null}
            onChange={(value) => setDraft((current) => ({ ...current, dateOfBirth: value ?? '' }))}
            style={{ flex: '1 1 150px' }}
          />
          <TextInput
            label="MRN"
            description="Exact medical record number"
            value={draft.mrn}
            onChange={(event) => {
              const mrn = event.currentTarget.value;
              setDraft((current) => ({ ...current, mrn }));
            }}
            autoComplete="off"
            style={{ flex: '1 1 140px' }}
          />
          <Group gap="xs">
            <Button type="submit">Search</Button>
            <Button
              variant="default"
              onClick={() => {
                setDraft(emptyPatientSearch);
                onSearch(emptyPatientSearch);
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
