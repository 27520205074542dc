import { Alert, Button, DataList, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconEdit } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { isProblem, problemMessage } from '../../api/client.ts';
import type { Patient } from '../../api/types.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { DemographicsFields } from './demographics-fields.tsx';
import {
  changedDemographics,
  type DemographicsFormValues,
  demographicsFormOf,
  demographicsOf,
  missingRequiredFields,
} from './demographics-form-model.ts';
import { formatDate, sexAtBirthLabels, todayIn } from './patient-format.ts';
import { patientKeys, patientsApi, usePatientChart } from './patients.api.ts';

const dash = '—';

function DemographicsView({ patient }: { patient: Patient }) {
  const address = patient.address;
  const contact = patient.emergencyContact;
  const rows: [string, string][] = [
    ['Given name', patient.givenName],
    ['Family name', patient.familyName],
    ['Preferred name', patient.preferredName ?? dash],
    ['Date of birth', formatDate(patient.dateOfBirth)],
    ['Sex assigned at birth', sexAtBirthLabels[patient.sexAtBirth] ?? patient.sexAtBirth],
    ['Gender identity', patient.genderIdentity ?? dash],
    ['Pronouns', patient.pronouns ?? dash],
    ['Email address', patient.email ?? dash],
    ['Phone', patient.phone ?? dash],
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
        : dash,
    ],
    ['Emergency contact', contact ? `${contact.name} (${contact.relationship}), ${contact.phone}` : dash],
  ];
  return (
    <DataList labelWidth={190} aria-label="Demographics">
      {rows.map(([label, value]) => (
        <DataList.Item key={label}>
          <DataList.ItemLabel>{label}</DataList.ItemLabel>
          <DataList.ItemValue>{value}</DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}

interface DemographicsEditorProps {
  patient: Patient;
  onDone: () => void;
}

/**
 * Amends the demographics under optimistic concurrency: the version the person started from goes with the
 * change, and if someone saved in between the server answers 409 and nothing is overwritten.
 */
function DemographicsEditor({ patient, onDone }: DemographicsEditorProps) {
  const session = useSignedInSession();
  const queryClient = useQueryClient();
  const chart = usePatientChart(patient.id);
  const [base, setBase] = useState(patient);
  const [values, setValues] = useState<DemographicsFormValues>(() => demographicsFormOf(patient));
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const messageRef = useRef<HTMLDivElement>(null);

  // The Save button sits below a long form: bring the outcome to the person instead of leaving it off-screen.
  useEffect(() => {
    if (!conflict && !notice) return;
    messageRef.current?.scrollIntoView({ block: 'center' });
    messageRef.current?.focus();
  }, [conflict, notice]);

  const save = useMutation({
    mutationFn: (changes: ReturnType<typeof changedDemographics>) =>
      patientsApi.amendDemographics(patient.id, { version: base.version, ...changes }),
    onSuccess: (updated) => {
      queryClient.setQueryData(patientKeys.chart(patient.id), updated);
      void queryClient.invalidateQueries({ queryKey: patientKeys.history(patient.id) });
      void queryClient.invalidateQueries({ queryKey: patientKeys.searches });
      notifications.show({
        color: 'green',
        title: 'Demographics saved',
        message: `Version ${updated.version}`,
      });
      onDone();
    },
    onError: (error) => {
      if (isProblem(error, 409) || isProblem(error, 412)) {
        setConflict(true);
      } else if (isProblem(error, 400)) {
        setErrors(error.fieldMessages());
        setNotice(problemMessage(error));
      } else {
        setNotice(problemMessage(error));
      }
    },
  });

  async function reloadLatest() {
    const result = await chart.refetch();
    if (result.data) {
      setBase(result.data);
      setValues(demographicsFormOf(result.data));
      setErrors({});
      setNotice(null);
      setConflict(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    const missing = missingRequiredFields(values);
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    const changes = changedDemographics(base, demographicsOf(values));
    if (Object.keys(changes).length === 0) {
      setNotice('Nothing has changed.');
      return;
    }
    save.mutate(changes);
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Edit demographics">
      <Stack gap="md">
        {conflict && (
          <Alert
            ref={messageRef}
            tabIndex={-1}
            color="orange"
            icon={<IconAlertTriangle aria-hidden />}
            role="alert"
            title="Someone else changed this record"
          >
            <Text size="sm" mb="sm">
              Another person saved changes to this patient after you opened the form, so your changes were not
              saved. Reload the latest version and make your changes again.
            </Text>
            <Button size="xs" color="orange" onClick={reloadLatest} loading={chart.isFetching}>
              Reload latest version
            </Button>
          </Alert>
        )}
        {notice && !conflict && (
          <Alert
            ref={messageRef}
            tabIndex={-1}
            color={notice === 'Nothing has changed.' ? 'blue' : 'red'}
            role="alert"
          >
            {notice}
          </Alert>
        )}
        <DemographicsFields
          values={values}
          errors={errors}
          today={todayIn(session.clinic.timeZone)}
          onChange={(path, value) => setValues((current) => ({ ...current, [path]: value }))}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={conflict}>
            Save demographics
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function DemographicsSection({ patient }: { patient: Patient }) {
  const can = usePermissions();
  const [editing, setEditing] = useState(false);
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={3} size="h4">
          Demographics
        </Title>
        {can('patient.update') && !editing && (
          <Button
            leftSection={<IconEdit size={16} aria-hidden />}
            variant="light"
            onClick={() => setEditing(true)}
          >
            Edit demographics
          </Button>
        )}
      </Group>
      {editing ? (
        <DemographicsEditor patient={patient} onDone={() => setEditing(false)} />
      ) : (
        <>
          <DemographicsView patient={patient} />
          <Text size="xs" c="dimmed">
            Version {patient.version}
          </Text>
        </>
      )}
    </Stack>
  );
}
