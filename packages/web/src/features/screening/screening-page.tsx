import type { Product, Route } from '@kapstone/clinical';
import { Alert, Anchor, Button, Group, Loader, Paper, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { isProblem, problemMessage } from '../../api/client.ts';
import { useDocumentTitle } from '../../app/use-document-title.ts';
import { usePermissions, useSignedInSession } from '../auth/auth.api.ts';
import { ChartHeader } from '../patients/chart-header.tsx';
import { formatInstant } from '../patients/patient-format.ts';
import { usePatientChart } from '../patients/patients.api.ts';
import { AssessmentSection, IntakeSummary, ScoresSummary } from './assessment-section.tsx';
import { DecisionForm } from './decision-form.tsx';
import { DecisionHistory } from './decision-history.tsx';
import { decisionStateLabels, productLabels, routeLabels, routesFor } from './eligibility-format.ts';
import {
  type EligibilityDecisionView,
  useAmendDecision,
  useAssessment,
  useEligibility,
  useSignDecision,
} from './screening.api.ts';
import { VitalsSection } from './vitals-section.tsx';

function Screening({ patientId }: { patientId: string }) {
  const can = usePermissions();
  const session = useSignedInSession();
  const [product, setProduct] = useState<Product>('ketamine-racemic');
  const [route, setRoute] = useState<Route>('im');
  const [amending, setAmending] = useState<EligibilityDecisionView | null>(null);
  const assessment = useAssessment(patientId, route, product);
  const eligibility = useEligibility(patientId);
  const sign = useSignDecision(patientId);
  const amend = useAmendDecision(patientId);

  // The decision of this route and product that no later one amends: a change to it is an amendment.
  const chainHead = eligibility.data?.history.find(
    (d) => d.route === route && d.product === product && !d.amendedById,
  );

  function startAmendment(decision: EligibilityDecisionView) {
    setProduct(decision.product);
    setRoute(decision.route);
    setAmending(decision);
  }

  return (
    <Stack gap="md">
      <Group gap="md" align="flex-end">
        <Select
          label="Product"
          data={(Object.keys(productLabels) as Product[]).map((p) => ({ value: p, label: productLabels[p] }))}
          value={product}
          allowDeselect={false}
          disabled={amending !== null}
          onChange={(value) => {
            const next = (value ?? 'ketamine-racemic') as Product;
            setProduct(next);
            if (!routesFor[next].includes(route)) setRoute(routesFor[next][0]!);
          }}
        />
        <Select
          label="Route"
          data={routesFor[product].map((r) => ({ value: r, label: routeLabels[r] }))}
          value={route}
          allowDeselect={false}
          disabled={amending !== null}
          onChange={(value) => setRoute((value ?? 'im') as Route)}
        />
        <Button variant="subtle" onClick={() => assessment.refetch()} loading={assessment.isFetching}>
          Reload the assessment
        </Button>
      </Group>

      {assessment.isPending && <Loader aria-label="Loading the assessment" />}
      {assessment.isError && (
        <Alert color="red" role="alert" title="The assessment could not be loaded">
          {problemMessage(assessment.error)}
        </Alert>
      )}
      {assessment.data && (
        <>
          <IntakeSummary view={assessment.data} />
          <ScoresSummary view={assessment.data} />
        </>
      )}
      <VitalsSection patientId={patientId} />
      {assessment.data && <AssessmentSection view={assessment.data} />}

      {assessment.data && can('eligibility.decide') && (
        <Paper withBorder p="md" radius="md" component="section" aria-label="Sign">
          {amending ? (
            <Stack gap="xs">
              <Text size="sm">
                Amending the decision signed {formatInstant(amending.signedAt, session.clinic.timeZone)} by{' '}
                {amending.signedBy.displayName}.{' '}
                <Anchor component="button" type="button" onClick={() => setAmending(null)}>
                  Cancel the amendment
                </Anchor>
              </Text>
              <DecisionForm
                key={`amend-${amending.id}`}
                assessment={assessment.data}
                amendment={{ signedAt: amending.signedAt }}
                onSign={({ reason, ...body }) =>
                  amend.mutateAsync({ ...body, decisionId: amending.id, reason: reason ?? '' })
                }
                onStale={() => assessment.refetch()}
                onDone={() => setAmending(null)}
              />
            </Stack>
          ) : chainHead ? (
            <Stack gap="xs" align="flex-start">
              <Text size="sm">
                A decision ({decisionStateLabels[chainHead.decision]}) is signed for{' '}
                {productLabels[product].toLowerCase()}, {routeLabels[route]}, on{' '}
                {formatInstant(chainHead.signedAt, session.clinic.timeZone)}. A signed decision is locked: to
                change it, amend it.
              </Text>
              <Button variant="light" onClick={() => startAmendment(chainHead)}>
                Amend the signed decision
              </Button>
            </Stack>
          ) : (
            <DecisionForm
              key={`${route}-${product}`}
              assessment={assessment.data}
              onSign={({ reason: _reason, ...body }) => sign.mutateAsync({ ...body, route, product })}
              onStale={() => assessment.refetch()}
            />
          )}
        </Paper>
      )}

      {eligibility.isError && (
        <Alert color="red" role="alert">
          {problemMessage(eligibility.error)}
        </Alert>
      )}
      {eligibility.data && (
        <DecisionHistory
          overview={eligibility.data}
          onAmend={can('eligibility.decide') ? startAmendment : undefined}
        />
      )}
    </Stack>
  );
}

/** The screening view of one patient: intake, scores, vitals, the engine's assessment and the signed decision. */
export function ScreeningPage() {
  useDocumentTitle('Screening');
  const { patientId = '' } = useParams();
  const chart = usePatientChart(patientId);
  if (chart.isPending) return <Loader aria-label="Opening the chart" />;
  if (chart.isError || chart.data.clinicalDataIncluded === false) {
    return (
      <Stack>
        <Alert color="gray" role="alert" title="Screening not available">
          {chart.isError && !isProblem(chart.error, 404)
            ? problemMessage(chart.error)
            : 'No chart with clinical data was found for this patient in your view.'}
        </Alert>
        <Anchor component={Link} to="/patients">
          Back to patient search
        </Anchor>
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      <ChartHeader patient={chart.data} />
      <Group>
        <Anchor component={Link} to={`/patients/${encodeURIComponent(patientId)}`}>
          Back to the chart
        </Anchor>
      </Group>
      <Screening patientId={patientId} />
    </Stack>
  );
}
