import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import {
  answerLabels,
  type Draft,
  type IntakeAnswerValue,
  type IntakeItem,
  type IntakeSection,
  intakeQuestionSections,
  valueAt,
} from './intake-questions.ts';

const notAnswered = (
  <Text span c="dimmed" fs="italic" size="sm">
    Not answered
  </Text>
);

function AnswerCell({
  item,
  answers,
  flagged,
}: {
  item: IntakeItem;
  answers: Draft;
  flagged: Map<string, string>;
}) {
  const value = valueAt(answers, item.path);
  if (item.kind === 'question') {
    const question = value as { answer?: IntakeAnswerValue; details?: string } | undefined;
    if (!question?.answer) return notAnswered;
    const reference = flagged.get(item.path);
    return (
      <Stack gap={2}>
        <Group gap="xs">
          <Badge
            color={reference ? 'red' : question.answer === 'no' ? 'gray' : 'blue'}
            variant={reference ? 'filled' : 'light'}
          >
            {answerLabels[question.answer]}
          </Badge>
          {reference && (
            <Text size="xs" c="red.8" fw={600}>
              Review: {reference}
            </Text>
          )}
        </Group>
        {question.details && <Text size="sm">{question.details}</Text>}
      </Stack>
    );
  }
  if (item.kind === 'text') {
    return typeof value === 'string' && value.trim() ? (
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {value}
      </Text>
    ) : (
      notAnswered
    );
  }
  const rows = (value as Draft[] | undefined) ?? [];
  if (rows.length === 0) return notAnswered;
  return (
    <Stack gap={4}>
      {rows.map((row, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: list rows are identified by their position
        <Text key={index} size="sm">
          {item.fields
            .map((field) => {
              const text = row[field.key] as string | undefined;
              if (!text) return null;
              const option = field.options?.find((o) => o.value === text);
              return option ? `${field.label}: ${option.label}` : text;
            })
            .filter(Boolean)
            .join(' · ')}
        </Text>
      ))}
    </Stack>
  );
}

/**
 * The answers grouped by section, read-only. Answers to contraindication questions that the server flagged
 * are highlighted with the reference section they come from.
 */
export function IntakeAnswersSummary({
  answers,
  flagged = [],
  sections,
  headingLevel = 3,
}: {
  answers: Draft;
  flagged?: { path: string; reference: string }[];
  sections?: IntakeSection[];
  headingLevel?: 2 | 3 | 4;
}) {
  const flags = new Map(flagged.map((f) => [f.path, f.reference]));
  const shown = intakeQuestionSections.filter((s) => !sections || sections.includes(s.id));
  return (
    <Stack gap="md">
      {shown.map((section) => (
        <Card
          key={section.id}
          withBorder
          radius="md"
          padding="md"
          component="section"
          aria-label={section.title}
        >
          <Title order={headingLevel} size="h5" mb="xs">
            {section.title}
          </Title>
          <Table verticalSpacing={6} layout="fixed">
            <Table.Tbody>
              {section.groups.flatMap((group) =>
                group.items
                  .filter((item) => !item.showWhen || item.showWhen(answers))
                  .map((item) => (
                    <Table.Tr key={item.path} bg={flags.has(item.path) ? 'red.0' : undefined}>
                      <Table.Th scope="row" w="55%" fw={500}>
                        <Text size="sm">{item.label}</Text>
                      </Table.Th>
                      <Table.Td>
                        <AnswerCell item={item} answers={answers} flagged={flags} />
                      </Table.Td>
                    </Table.Tr>
                  )),
              )}
            </Table.Tbody>
          </Table>
        </Card>
      ))}
    </Stack>
  );
}
