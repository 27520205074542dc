import type { Product, Route } from '@kapstone/clinical';
import type { PendingWrite } from './pending-writes.ts';
import { type SessionVitalsReading, type SideEffect, sideEffectLabels } from './sessions.types.ts';

/** Words for the console: how a nurse would say the route, the product and a reading. */

const routeLabels: Record<Route, string> = {
  iv: 'IV',
  im: 'IM',
  sublingual: 'Sublingual',
  oral: 'Oral',
  intranasal: 'Intranasal',
};

export function treatmentLabel(route: Route, product: Product): string {
  if (product === 'esketamine') return 'Esketamine nasal spray (SPRAVATO)';
  return `${routeLabels[route] ?? route} ketamine`;
}

type Values = Pick<SessionVitalsReading, 'systolic' | 'diastolic' | 'heartRate' | 'spo2'>;

/** "BP 142/88 · HR 76 · SpO₂ 97%", leaving out what was not measured. */
export function vitalsSummary(reading: Partial<Values>): string {
  const parts: string[] = [];
  if (typeof reading.systolic === 'number' && typeof reading.diastolic === 'number')
    parts.push(`BP ${reading.systolic}/${reading.diastolic}`);
  if (typeof reading.heartRate === 'number') parts.push(`HR ${reading.heartRate}`);
  if (typeof reading.spo2 === 'number') parts.push(`SpO₂ ${reading.spo2}%`);
  return parts.length > 0 ? parts.join(' · ') : 'No values';
}

const moaasWords: Record<number, string> = {
  5: 'alert',
  4: 'lethargic',
  3: 'responds to loud voice',
  2: 'responds to prodding',
  1: 'responds to trapezius squeeze',
  0: 'no response',
};

/** What a queued write holds, in one line (the pending list names what is waiting, not just a count). */
export function pendingWriteSummary(write: Pick<PendingWrite, 'kind' | 'body'>): string {
  const body = write.body as Record<string, unknown>;
  if (write.kind === 'vitals') return `Vitals: ${vitalsSummary(body as Partial<Values>)}`;
  if (body.kind === 'moaas' && typeof body.moaas === 'number')
    return `Sedation: MOAA/S ${body.moaas} (${moaasWords[body.moaas] ?? ''})`;
  if (body.kind === 'cadss6' && Array.isArray(body.cadss6)) {
    const total = (body.cadss6 as number[]).reduce((sum, n) => sum + n, 0);
    return `CADSS-6 total ${total}`;
  }
  if (body.kind === 'side-effects' && Array.isArray(body.sideEffects)) {
    const list = body.sideEffects as SideEffect[];
    return list.length === 0
      ? 'Side effects: none'
      : `Side effects: ${list.map((e) => sideEffectLabels[e] ?? e).join(', ')}`;
  }
  return 'Observation';
}

/** When the write was taken (the reading's own time, not when it was queued). */
export function pendingWriteTime(write: Pick<PendingWrite, 'body' | 'queuedAt'>): string {
  const body = write.body as Record<string, unknown>;
  const at = typeof body.measuredAt === 'string' ? body.measuredAt : body.observedAt;
  return typeof at === 'string' ? at : new Date(write.queuedAt).toISOString();
}
