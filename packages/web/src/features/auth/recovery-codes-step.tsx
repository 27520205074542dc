import { Alert, Button, Checkbox, Code, CopyButton, List, Stack, Text } from '@mantine/core';
import { useState } from 'react';

interface RecoveryCodesStepProps {
  codes: string[];
  onDone: () => void;
}

/** Shown exactly once: the server keeps only hashes of these codes. */
export function RecoveryCodesStep({ codes, onDone }: RecoveryCodesStepProps) {
  const [saved, setSaved] = useState(false);
  return (
    <Stack gap="md">
      <Alert color="yellow" title="Save your recovery codes now">
        Each code signs you in once if you lose your authenticator app. They will not be shown again.
      </Alert>
      <List spacing={4} aria-label="Recovery codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <List.Item key={code}>
            <Code>{code}</Code>
          </List.Item>
        ))}
      </List>
      <CopyButton value={codes.join('\n')}>
        {({ copied, copy }) => (
          <Button variant="light" onClick={copy}>
            {copied ? 'Copied' : 'Copy all codes'}
          </Button>
        )}
      </CopyButton>
      <Checkbox
        label="I have stored these codes somewhere safe"
        checked={saved}
        onChange={(event) => setSaved(event.currentTarget.checked)}
      />
      <Text size="xs" c="dimmed">
        Store them in a password manager or print them; do not keep them next to your device.
      </Text>
      <Button onClick={onDone} disabled={!saved}>
        Continue to Kapstone
      </Button>
    </Stack>
  );
}
