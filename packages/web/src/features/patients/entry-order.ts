const statusRank: Record<string, number> = {
  active: 0,
  resolved: 1,
  stopped: 1,
  inactive: 1,
  'entered-in-error': 2,
};

/** Active entries first, then past ones, then those entered in error; newest first within each. */
export function byClinicalRelevance(
  a: { status: string; recordedAt: string },
  b: { status: string; recordedAt: string },
): number {
  const rank = (statusRank[a.status] ?? 1) - (statusRank[b.status] ?? 1);
  return rank !== 0 ? rank : b.recordedAt.localeCompare(a.recordedAt);
}
