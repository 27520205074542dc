import { List, Stack, Text, Title } from '@mantine/core';
import type { DischargeInstructionsView } from './flow.api.ts';

/** Hides the page's buttons (class `kapstone-no-print`) from the printout. */
export function PrintStyles() {
  return <style>{'@media print { .kapstone-no-print { display: none !important; } }'}</style>;
}

/** The patient's discharge instructions as the server words them (@kapstone/clinical dischargeInstructions). */
export function DischargeInstructionsContent({ instructions }: { instructions: DischargeInstructionsView }) {
  return (
    <Stack gap="md" component="article" aria-labelledby="discharge-instructions-title">
      <Title order={1} size="h2" id="discharge-instructions-title">
        {instructions.title}
      </Title>
      {instructions.sections.map((section) => (
        <Stack key={section.id} gap={4} component="section" aria-labelledby={`instructions-${section.id}`}>
          <Title order={2} size="h3" id={`instructions-${section.id}`}>
            {section.heading}
          </Title>
          <List spacing={6} size="lg">
            {section.lines.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
          {section.citations && section.citations.length > 0 && (
            <Text size="xs" c="dimmed">
              Source: {section.citations.map((c) => c.source).join('; ')}
            </Text>
          )}
        </Stack>
      ))}
      <Text size="sm" c="dimmed">
        Keep this page. It repeats what your care team told you before you left.
      </Text>
    </Stack>
  );
}
