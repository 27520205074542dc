import { describe, expect, it } from 'vitest';
import * as clinical from './index.ts';

describe('@kapstone/clinical', () => {
  it('loads as a module', () => {
    expect(typeof clinical).toBe('object');
  });
});
