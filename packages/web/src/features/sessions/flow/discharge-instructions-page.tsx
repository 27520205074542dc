import { Alert, Button, Container, Group, Loader, Stack } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { useParams } from 'react-router';
import { problemMessage } from '../../../api/client.ts';
import { useDocumentTitle } from '../../../app/use-document-title.ts';
import { DischargeInstructionsContent, PrintStyles } from './discharge-instructions-view.tsx';
import { dischargeInstructionsPdfUrl, useDischargeInstructions } from './flow.api.ts';

/**
 * The printable discharge instructions of one session, opened from the discharge panel in a tab of its own
 * (no navigation around it), to print and hand to the patient and the escort.
 */
export function DischargeInstructionsPage() {
  useDocumentTitle('Discharge instructions');
  const { sessionId = '' } = useParams();
  const instructions = useDischargeInstructions(sessionId);
  return (
    <Container size="sm" py="xl" component="main" id="main-content">
      <PrintStyles />
      <Stack gap="lg">
        <Group className="kapstone-no-print">
          <Button
            size="lg"
            leftSection={<IconPrinter size={20} aria-hidden />}
            onClick={() => window.print()}
            disabled={!instructions.data}
          >
            Print
          </Button>
          <Button
            component="a"
            href={dischargeInstructionsPdfUrl(sessionId)}
            target="_blank"
            rel="noopener"
            size="lg"
            variant="default"
          >
            PDF
          </Button>
        </Group>
        {instructions.data?.missingSettings.includes('crisisPhone') && (
          <Alert color="yellow" className="kapstone-no-print" title="The clinic’s crisis phone is not set">
            The instructions tell the patient to call the clinic without a number. An administrator sets the
            crisis phone in the clinic settings.
          </Alert>
        )}
        {instructions.isPending && <Loader aria-label="Loading the instructions" />}
        {instructions.isError && (
          <Alert color="red" role="alert" title="The instructions could not be loaded">
            {problemMessage(instructions.error)}
          </Alert>
        )}
        {instructions.data && <DischargeInstructionsContent instructions={instructions.data} />}
      </Stack>
    </Container>
  );
}
