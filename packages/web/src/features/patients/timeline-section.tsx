import { EmptyState, Title } from '@mantine/core';
import { IconTimeline } from '@tabler/icons-react';

/** Deliberately empty in the foundation: the screening, sessions and measures issues fill it. */
export function TimelineSection() {
  return (
    <section aria-labelledby="timeline-title">
      <Title order={3} size="h4" id="timeline-title" mb="sm">
        Timeline
      </Title>
      <EmptyState
        icon={<IconTimeline aria-hidden />}
        title="Nothing on the timeline yet"
        description="Screening, sessions and measures will appear here."
      />
    </section>
  );
}
