import { List, Stack, Text, Title } from '@mantine/core';
import { textBlocks } from './consent-format.ts';

/** The consent text, every word of it, with its headings and lists (see textBlocks). */
export function ConsentTextView({ text, headingOrder = 3 }: { text: string; headingOrder?: 2 | 3 | 4 }) {
  const blocks = textBlocks(text);
  return (
    <Stack gap="xs" className="consent-text">
      {blocks.map((block, index) => {
        const key = `${block.kind}-${index}`;
        if (block.kind === 'heading')
          return (
            <Title key={key} order={headingOrder} size="h5" mt="sm">
              {block.text}
            </Title>
          );
        if (block.kind === 'list')
          return (
            <List key={key} spacing={4} size="md">
              {block.items.map((item, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the text is fixed for a version; order is identity
                <List.Item key={i}>{item}</List.Item>
              ))}
            </List>
          );
        return (
          <Text key={key} size="md">
            {block.text}
          </Text>
        );
      })}
    </Stack>
  );
}
