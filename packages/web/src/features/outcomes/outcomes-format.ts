import type { CountCell, MeanCell, RateCell } from '@kapstone/clinical';

/** How one cell of the outcomes table reads: its figure and the n it rests on (or why it is hidden). */
export interface CellText {
  value: string;
  n: string;
}

const suppressedText = (fewerThan: number): CellText => ({
  value: 'Suppressed',
  n: `fewer than ${fewerThan}`,
});

const one = (x: number) => x.toFixed(1);

export function meanText(cell: MeanCell): CellText {
  if (cell.suppressed) return suppressedText(cell.fewerThan);
  if (cell.mean === null) return { value: '—', n: String(cell.n) };
  return {
    value: cell.sd === null ? one(cell.mean) : `${one(cell.mean)} (${one(cell.sd)})`,
    n: String(cell.n),
  };
}

export function rateText(cell: RateCell): CellText {
  if (cell.suppressed) return suppressedText(cell.fewerThan);
  if (cell.percent === null) return { value: '—', n: String(cell.n) };
  return { value: `${one(cell.percent)}% (${cell.count} of ${cell.n})`, n: String(cell.n) };
}

export function countText(cell: CountCell, total: CountCell): CellText {
  if (cell.suppressed) return suppressedText(cell.fewerThan);
  if (total.suppressed || total.n === 0) return { value: String(cell.n), n: String(cell.n) };
  return { value: `${cell.n} (${one((cell.n / total.n) * 100)}%)`, n: String(cell.n) };
}

/** A share for a bar: 0–100, or null when there is nothing to draw. */
export function shareOf(cell: RateCell): number | null {
  return cell.suppressed || cell.percent === null ? null : cell.percent;
}
