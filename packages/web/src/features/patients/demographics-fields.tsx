import { Fieldset, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import type { DemographicsFieldPath, DemographicsFormValues } from './demographics-form-model.ts';
import { sexAtBirthLabels } from './patient-format.ts';

interface DemographicsFieldsProps {
  values: DemographicsFormValues;
  errors: Partial<Record<string, string>>;
  onChange: (path: DemographicsFieldPath, value: string) => void;
  /** YYYY-MM-DD: a date of birth cannot be in the future. */
  today: string;
}

const sexOptions = [
  { value: '', label: 'Choose…', disabled: true },
  ...Object.entries(sexAtBirthLabels).map(([value, label]) => ({ value, label })),
];

/** The demographic inputs shared by registration and amendment. */
export function DemographicsFields({ values, errors, onChange, today }: DemographicsFieldsProps) {
  const text = (path: DemographicsFieldPath, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      value={values[path]}
      error={errors[path]}
      onChange={(event) => onChange(path, event.currentTarget.value)}
      {...extra}
    />
  );

  return (
    <Stack gap="md">
      <Fieldset legend="Name and identity">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {text('givenName', 'Given name', { required: true, autoComplete: 'off' })}
          {text('familyName', 'Family name', { required: true, autoComplete: 'off' })}
          {text('preferredName', 'Preferred name', { autoComplete: 'off' })}
          <DateInput
            label="Date of birth"
            description="YYYY-MM-DD"
            placeholder="YYYY-MM-DD"
            valueFormat="YYYY-MM-DD"
            required
            maxDate={today}
            value={values.dateOfBirth || null}
            error={errors.dateOfBirth}
            onChange={(value) => onChange('dateOfBirth', value ?? '')}
          />
          <NativeSelect
            label="Sex assigned at birth"
            required
            data={sexOptions}
            value={values.sexAtBirth}
            error={errors.sexAtBirth}
            onChange={(event) => onChange('sexAtBirth', event.currentTarget.value)}
          />
          {text('genderIdentity', 'Gender identity')}
          {text('pronouns', 'Pronouns', { placeholder: 'e.g. she/her' })}
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend="Contact">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {text('email', 'Email address', { type: 'email', autoComplete: 'off' })}
          {text('phone', 'Phone', { type: 'tel', autoComplete: 'off' })}
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend="Address">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {text('address.line1', 'Address line 1')}
          {text('address.line2', 'Address line 2')}
          {text('address.city', 'City')}
          {text('address.region', 'State or region')}
          {text('address.postalCode', 'Postal code')}
          {text('address.country', 'Country code', {
            description: 'Two letters, e.g. US',
            maxLength: 2,
          })}
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend="Emergency contact">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          {text('emergencyContact.name', 'Emergency contact name')}
          {text('emergencyContact.relationship', 'Relationship')}
          {text('emergencyContact.phone', 'Emergency contact phone', { type: 'tel' })}
        </SimpleGrid>
      </Fieldset>
    </Stack>
  );
}
