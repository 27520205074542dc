import {
  Button,
  Card,
  Fieldset,
  Group,
  NativeSelect,
  Radio,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { errorsUnder, sectionDef } from './intake-form-model.ts';
import {
  answerLabels,
  type Draft,
  type IntakeAnswerValue,
  type IntakeSection,
  type ListItem,
  type QuestionItem,
  setAt,
  type TextItem,
  valueAt,
} from './intake-questions.ts';

interface FieldProps {
  draft: Draft;
  onChange: (next: Draft) => void;
  errors: Record<string, string>;
  /** Larger touch targets in the portal. */
  size: 'sm' | 'md';
}

const answerOrder: IntakeAnswerValue[] = ['yes', 'no', 'unsure'];
const idOf = (path: string) => `intake-${path.replaceAll('.', '-')}`;

function QuestionField({ item, draft, onChange, errors, size }: FieldProps & { item: QuestionItem }) {
  const value =
    (valueAt(draft, item.path) as { answer?: IntakeAnswerValue; details?: string } | undefined) ?? {};
  const showDetails = value.answer === 'yes' || value.answer === 'unsure';
  const error = errors[item.path] ?? errors[`${item.path}.answer`];
  return (
    <Stack gap={6}>
      <Radio.Group
        id={idOf(item.path)}
        label={item.label}
        description={item.help}
        value={value.answer ?? null}
        onChange={(answer) => onChange(setAt(draft, item.path, { ...value, answer }))}
        error={error}
        size={size}
      >
        <Group gap="lg" mt={6}>
          {answerOrder.map((answer) => (
            <Radio key={answer} value={answer} label={answerLabels[answer]} size={size} />
          ))}
        </Group>
      </Radio.Group>
      {showDetails && (
        <Textarea
          label={item.detailsLabel ?? 'Details (optional)'}
          autosize
          minRows={1}
          maxLength={2000}
          size={size}
          value={value.details ?? ''}
          error={errors[`${item.path}.details`]}
          onChange={(event) => {
            const details = event.currentTarget.value;
            onChange(setAt(draft, item.path, { ...value, details: details === '' ? undefined : details }));
          }}
        />
      )}
    </Stack>
  );
}

function TextField({ item, draft, onChange, errors, size }: FieldProps & { item: TextItem }) {
  const value = (valueAt(draft, item.path) as string | undefined) ?? '';
  const common = {
    id: idOf(item.path),
    label: item.label,
    description: item.help,
    required: item.required,
    // Optional questions say "(optional)" in their label; the asterisk would only add noise to the name.
    withAsterisk: false,
    size,
    value,
    error: errors[item.path],
    autoComplete: item.autoComplete,
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      const text = event.currentTarget.value;
      onChange(setAt(draft, item.path, text === '' ? undefined : text));
    },
  };
  if (item.multiline) return <Textarea {...common} autosize minRows={3} maxLength={4000} />;
  return <TextInput {...common} type={item.inputType ?? 'text'} maxLength={200} />;
}

function ListField({ item, draft, onChange, errors, size }: FieldProps & { item: ListItem }) {
  const rows = ((valueAt(draft, item.path) as Draft[] | undefined) ?? []).slice();
  const listError = errors[item.path];
  const update = (next: Draft[]) => onChange(setAt(draft, item.path, next));
  return (
    <Fieldset legend={item.label} id={idOf(item.path)} variant="unstyled">
      <Stack gap="sm">
        {listError && (
          <Text c="red" size="sm" role="alert">
            {listError}
          </Text>
        )}
        {rows.map((row, index) => {
          const noun = `${item.itemNoun} ${index + 1}`;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id of their own; order is the identity
            <Card key={index} withBorder padding="sm" radius="md" component="section" aria-label={noun}>
              <Stack gap="xs">
                <Text fw={600} size="sm">
                  {noun}
                </Text>
                {item.fields.map((field) => {
                  const path = `${item.path}.${index}.${field.key}`;
                  const fieldValue = (row[field.key] as string | undefined) ?? '';
                  const set = (text: string) => {
                    const copy = rows.slice();
                    copy[index] = { ...row, [field.key]: text === '' ? undefined : text };
                    update(copy);
                  };
                  return field.options ? (
                    <NativeSelect
                      key={field.key}
                      label={field.label}
                      required={field.required}
                      withAsterisk={false}
                      size={size}
                      value={fieldValue}
                      error={errors[path]}
                      data={[{ value: '', label: 'Choose…' }, ...field.options]}
                      onChange={(event) => set(event.currentTarget.value)}
                    />
                  ) : (
                    <TextInput
                      key={field.key}
                      label={field.label}
                      required={field.required}
                      withAsterisk={false}
                      size={size}
                      maxLength={200}
                      value={fieldValue}
                      error={errors[path]}
                      onChange={(event) => set(event.currentTarget.value)}
                    />
                  );
                })}
                <Group justify="flex-end">
                  <Button
                    variant="subtle"
                    color="red"
                    size={size === 'md' ? 'sm' : 'xs'}
                    leftSection={<IconTrash size={16} aria-hidden />}
                    aria-label={`Remove ${noun.toLowerCase()}`}
                    onClick={() => update(rows.filter((_, i) => i !== index))}
                  >
                    Remove
                  </Button>
                </Group>
              </Stack>
            </Card>
          );
        })}
        <Group>
          <Button
            variant="light"
            size={size}
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => update([...rows, {}])}
          >
            {item.addLabel}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

/** The questions of one section, grouped, with follow-ups shown only when they apply. */
export function IntakeSectionFields({
  section,
  headingLevel = 3,
  ...props
}: FieldProps & { section: IntakeSection; headingLevel?: 2 | 3 | 4 }) {
  const def = sectionDef(section);
  return (
    <Stack gap="lg">
      {def.groups.map((group) => {
        const visible = group.items.filter((item) => !item.showWhen || item.showWhen(props.draft));
        if (visible.length === 0) return null;
        return (
          <Stack key={group.title} gap="md" component="section" aria-label={group.title}>
            {def.groups.length > 1 && (
              <Title order={headingLevel} size="h5">
                {group.title}
              </Title>
            )}
            {visible.map((item) =>
              item.kind === 'question' ? (
                <QuestionField key={item.path} item={item} {...props} />
              ) : item.kind === 'text' ? (
                <TextField key={item.path} item={item} {...props} />
              ) : (
                <ListField key={item.path} item={item} {...props} />
              ),
            )}
          </Stack>
        );
      })}
      {errorsUnder(props.errors, section) && (
        <Text size="sm" c="red" role="alert">
          Some answers in this section need attention: see the messages above.
        </Text>
      )}
    </Stack>
  );
}
