/** ICD-10-CM codes compared without the dot, upper-case: 'f31.81' → 'F3181'. */
export function normaliseIcd10(code: string): string {
  return code.trim().toUpperCase().replace('.', '');
}

/**
 * True when the code falls in a range of category prefixes, inclusive, e.g. ['I60', 'I62'] holds I60–I62.9.
 * A bare prefix ('F31') holds every code that starts with it.
 */
export function icd10InRange(code: string, range: string | readonly [string, string]): boolean {
  const c = normaliseIcd10(code);
  if (typeof range === 'string') return c.startsWith(normaliseIcd10(range));
  const [from, to] = range.map(normaliseIcd10) as [string, string];
  const head = c.slice(0, from.length);
  return head >= from && c.slice(0, to.length) <= to;
}
