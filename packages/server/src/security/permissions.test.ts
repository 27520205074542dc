import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../context.ts';
import { roles } from '../context.ts';
import {
  type ChartAccess,
  type ChartAccessFacts,
  chartAccess,
  hasPermission,
  type Permission,
  permissions,
  permissionsOf,
  rolePermissions,
} from './permissions.ts';

/**
 * The matrix written out a second time, by hand, as the blueprint's roles read it. Changing permissions.ts
 * without changing this table (or the other way round) fails the test: a grant is always a deliberate edit
 * in two places. Columns: prescriber, nurse, therapist, frontdesk, admin, researcher.
 */
const expectedGrid = `
                           presc nurse thera front admin resea
  patient.read               x     x     x     x     x     .
  patient.clinical.read      x     x     x     .     .     .
  patient.create             x     x     .     x     .     .
  patient.update             x     x     .     x     .     .
  patient.clinical.update    x     x     .     .     .     .
  patient.break-glass        x     x     x     .     .     .
  schedule.read              x     x     x     x     x     .
  schedule.manage            x     x     .     x     x     .
  rooms.manage               .     .     .     .     x     .
  audit.read                 .     .     .     .     x     .
  break-glass.review         .     .     .     .     x     .
  staff.manage               .     .     .     .     x     .
  research.read              .     .     .     .     .     x
  portal.invite              x     x     .     x     x     .
  mail.read                  .     .     .     .     x     .
  measures.assign            x     x     x     .     .     .
  vitals.record              x     x     .     .     .     .
  eligibility.decide         x     .     .     .     .     .
  plan.write                 x     .     .     .     .     .
  preparation.write          x     .     x     .     .     .
  consent.read               x     x     x     x     x     .
  consent.countersign        x     x     x     .     .     .
  consent.templates.manage   .     .     .     .     x     .
  alerts.read                x     x     x     .     .     .
  alerts.acknowledge         x     x     x     .     .     .
  session.read               x     x     x     .     .     .
  session.check-in           x     x     .     x     .     .
  session.monitor            x     x     .     .     .     .
  session.administer         x     x     .     .     .     .
  session.discharge          x     x     .     .     .     .
  session.override           x     .     .     .     .     .
  psychotherapy-notes.write  x     .     x     .     .     .
  rems.read                  x     x     .     .     x     .
  rems.submit                x     x     .     .     x     .
  ledger.read                x     x     .     .     x     .
  ledger.record              x     x     .     .     x     .
  ledger.adjust              .     .     .     .     x     .
  ledger.locations.manage    .     .     .     .     x     .
  integration.write          x     .     x     .     .     .
  care.settings.manage       .     .     .     .     x     .
  outcomes.read              x     .     .     .     x     x
  research.export            .     .     .     .     x     x
  research.export.delete     .     .     .     .     x     .
  portal.self                .     .     .     .     .     .
`;
const gridRoles: Role[] = ['prescriber', 'nurse', 'therapist', 'frontdesk', 'admin', 'researcher'];

function parseGrid(grid: string): Map<Permission, Set<Role>> {
  const rows = grid
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/));
  return new Map(
    rows.map(([name, ...marks]) => {
      if (marks.length !== gridRoles.length) throw new Error(`grid row ${name} has ${marks.length} marks`);
      return [name as Permission, new Set(gridRoles.filter((_, i) => marks[i] === 'x'))];
    }),
  );
}
const expected = parseGrid(expectedGrid);

let sequence = 0;
function staff(...held: Role[]): Actor {
  sequence += 1;
  return {
    kind: 'staff',
    roles: held,
    userId: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    clinicId: '00000000-0000-4000-8000-00000000c11c',
    sessionId: '00000000-0000-4000-8000-0000000005e5',
    email: 'someone@test.example',
    displayName: 'Someone',
  };
}
const patientActor: Actor = {
  kind: 'patient',
  patientId: '00000000-0000-4000-8000-0000000000aa',
  userId: '00000000-0000-4000-8000-0000000000ab',
  clinicId: '00000000-0000-4000-8000-00000000c11c',
  sessionId: '00000000-0000-4000-8000-0000000005e6',
  email: 'patient@test.example',
  displayName: 'A Patient',
};

describe('the permission matrix', () => {
  it('lists every permission of the contract exactly once, and the hand-written grid covers them all', () => {
    expect(new Set(permissions).size).toBe(permissions.length);
    expect([...expected.keys()].sort()).toEqual([...permissions].sort());
    expect(gridRoles.slice().sort()).toEqual([...roles].sort());
  });

  it('matches the hand-written grid for every role and every permission', () => {
    const cells: string[] = [];
    for (const role of roles) {
      const granted = new Set(rolePermissions[role]);
      for (const permission of permissions) {
        const want = expected.get(permission)!.has(role);
        expect(granted.has(permission), `${role} × ${permission}`).toBe(want);
        expect(hasPermission(staff(role), permission), `hasPermission(${role}, ${permission})`).toBe(want);
        cells.push(`${role}:${permission}`);
      }
    }
    expect(cells).toHaveLength(roles.length * permissions.length);
  });

  it('grants nothing to a staff account without roles (deny by default)', () => {
    const nobody = staff();
    expect(permissionsOf(nobody).size).toBe(0);
    for (const permission of permissions) expect(hasPermission(nobody, permission)).toBe(false);
  });

  it('gives a staff member with several roles the union of their roles, and nothing more', () => {
    for (const a of roles) {
      for (const b of roles) {
        const union = new Set([...rolePermissions[a], ...rolePermissions[b]]);
        const actor = staff(a, b);
        for (const permission of permissions)
          expect(hasPermission(actor, permission), `${a}+${b} × ${permission}`).toBe(union.has(permission));
      }
    }
  });

  it('gives a patient account only its own portal', () => {
    expect([...permissionsOf(patientActor)]).toEqual(['portal.self']);
    for (const permission of permissions)
      expect(hasPermission(patientActor, permission)).toBe(permission === 'portal.self');
  });

  it('never lets a researcher reach identities, whatever else the matrix grows', () => {
    const identifying = permissions.filter(
      (p) =>
        p.startsWith('patient.') || p === 'audit.read' || p === 'break-glass.review' || p === 'portal.self',
    );
    expect(identifying.length).toBeGreaterThan(5);
    for (const permission of identifying) expect(hasPermission(staff('researcher'), permission)).toBe(false);
  });

  it('never gives staff the patient portal, nor patients any staff permission', () => {
    for (const role of roles) expect(rolePermissions[role]).not.toContain('portal.self');
  });
});

/** Every combination of the facts chartAccess looks at, for one actor. */
function* allFacts(): Generator<ChartAccessFacts> {
  for (const careScope of ['clinic', 'care-team'] as const)
    for (const sameClinic of [true, false])
      for (const inCareTeam of [true, false])
        for (const breakGlassActive of [true, false])
          for (const ownRecord of [true, false])
            yield { careScope, sameClinic, inCareTeam, breakGlassActive, ownRecord };
}

/**
 * The chart policy restated per role, independently of the implementation: clinicians see clinical data
 * clinic-wide in a 'clinic' clinic and only for their care team (or under break-glass) in a 'care-team'
 * one; front desk and admins see demographics clinic-wide and never clinical data; researchers see no chart.
 */
function expectedSingleRole(role: Role, facts: ChartAccessFacts): ChartAccess {
  if (!facts.sameClinic) return 'none';
  switch (role) {
    case 'prescriber':
    case 'nurse':
    case 'therapist':
      return facts.careScope === 'clinic' || facts.inCareTeam || facts.breakGlassActive ? 'clinical' : 'none';
    case 'frontdesk':
    case 'admin':
      return 'demographics';
    case 'researcher':
      return 'none';
  }
}

const rank: Record<ChartAccess, number> = { none: 0, demographics: 1, clinical: 2 };

describe('chart access policy', () => {
  it('decides every role against every combination of facts', () => {
    let cases = 0;
    for (const role of roles) {
      for (const facts of allFacts()) {
        expect(chartAccess(staff(role), facts), `${role} ${JSON.stringify(facts)}`).toBe(
          expectedSingleRole(role, facts),
        );
        cases += 1;
      }
    }
    expect(cases).toBe(roles.length * 32);
  });

  it('gives several roles the widest access any one of them has', () => {
    for (const a of roles)
      for (const b of roles)
        for (const facts of allFacts()) {
          const one = expectedSingleRole(a, facts);
          const other = expectedSingleRole(b, facts);
          const widest = rank[one] >= rank[other] ? one : other;
          expect(chartAccess(staff(a, b), facts), `${a}+${b} ${JSON.stringify(facts)}`).toBe(widest);
        }
  });

  it('opens to a patient their own chart only, and never another clinic’s', () => {
    for (const facts of allFacts()) {
      const want: ChartAccess = facts.sameClinic && facts.ownRecord ? 'clinical' : 'none';
      expect(chartAccess(patientActor, facts), JSON.stringify(facts)).toBe(want);
    }
  });

  it('shows nothing of another clinic’s chart to anyone, break-glass or care team notwithstanding', () => {
    const everyone = [...roles.map((role) => staff(role)), staff(...roles), patientActor];
    for (const actor of everyone)
      for (const facts of allFacts()) if (!facts.sameClinic) expect(chartAccess(actor, facts)).toBe('none');
  });
});
