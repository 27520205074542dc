import { Alert, Anchor, Button, Group, Stack, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiProblem, problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { useSignedInSession } from '../auth/auth.api.ts';
import { DemographicsFields } from './demographics-fields.tsx';
import {
  type DemographicsFormValues,
  demographicsOf,
  emptyDemographicsForm,
  missingRequiredFields,
} from './demographics-form-model.ts';
import { todayIn } from './patient-format.ts';
import { patientKeys, patientsApi } from './patients.api.ts';

export function RegisterPatientPage() {
  useDocumentTitle('Register patient');
  const session = useSignedInSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<DemographicsFormValues>(emptyDemographicsForm);
  const [mrn, setMrn] = useState('');
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const noticeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!notice) return;
    noticeRef.current?.scrollIntoView({ block: 'center' });
    noticeRef.current?.focus();
  }, [notice]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    const missing = missingRequiredFields(values);
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setPending(true);
    try {
      const created = await patientsApi.register({
        ...demographicsOf(values),
        ...(mrn.trim() ? { mrn: mrn.trim() } : {}),
      });
      queryClient.setQueryData(patientKeys.chart(created.id), created);
      await queryClient.invalidateQueries({ queryKey: patientKeys.searches });
      notifications.show({ color: 'green', title: 'Patient registered', message: `MRN ${created.mrn}` });
      navigate(`/patients/${created.id}`);
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.status === 400) setErrors(caught.fieldMessages());
      setNotice(problemMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Register patient">
      <Stack gap="md" maw={900}>
        <Anchor component={Link} to="/patients" size="sm">
          Back to patients
        </Anchor>
        <Title order={1} size="h2">
          Register patient
        </Title>
        {notice && (
          <Alert ref={noticeRef} tabIndex={-1} color="red" role="alert">
            {notice}
          </Alert>
        )}
        <TextInput
          label="MRN"
          description="Leave empty to let the clinic assign the next number"
          value={mrn}
          error={errors.mrn}
          onChange={(event) => setMrn(event.currentTarget.value)}
          maw={320}
          autoComplete="off"
        />
        <DemographicsFields
          values={values}
          errors={errors}
          today={todayIn(session.clinic.timeZone)}
          onChange={(path, value) => setValues((current) => ({ ...current, [path]: value }))}
        />
        <Group justify="flex-end">
          <Button variant="default" component={Link} to="/patients">
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            Register patient
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
