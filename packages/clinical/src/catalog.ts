import { dosingRules } from './dosing/index.ts';
import { eligibilityRules } from './eligibility/index.ts';
import { experienceRules } from './experience/index.ts';
import { instrumentRules } from './instruments/index.ts';
import { integrationRules } from './integration/index.ts';
import { ledgerRules } from './ledger/index.ts';
import { measurementRules } from './measurement/index.ts';
import { dischargeInstructionRules } from './monitoring/discharge-instructions.ts';
import { monitoringRules } from './monitoring/index.ts';
import { remsRules } from './monitoring/rems.ts';
import { sessionLifecycleRules } from './monitoring/session-lifecycle.ts';
import { cohortRules } from './outcomes/cohort.ts';
import { outcomeRules } from './outcomes/index.ts';
import { maintenanceRules } from './outcomes/maintenance.ts';
import { appointmentRules } from './protocols/appointments.ts';
import { protocolRules } from './protocols/index.ts';
import { deidentificationRules } from './research/deidentify.ts';
import type { RuleMetadata } from './types.ts';

/** Every rule, threshold and code of the package with its source: the README and docs are generated from this. */
export function ruleCatalog(): RuleMetadata[] {
  return [
    ...instrumentRules,
    ...outcomeRules,
    ...cohortRules,
    ...maintenanceRules,
    ...eligibilityRules,
    ...dosingRules,
    ...protocolRules,
    ...measurementRules,
    ...appointmentRules,
    ...monitoringRules,
    ...sessionLifecycleRules,
    ...remsRules,
    ...dischargeInstructionRules,
    ...ledgerRules,
    ...experienceRules,
    ...integrationRules,
    ...deidentificationRules,
  ];
}
