/** Error codes are a closed set: a code outside ErrorCode does not type-check (`npm test` runs tsc). */
import { describe, expect, it } from 'vitest';
import { DomainError, type ErrorCode, isDomainError } from '../../src/domain/errors.js';

describe('DomainError', () => {
  it('carries a stable code and its details', () => {
    const e = new DomainError('incident.not_found', 'INC-9 does not exist.', { number: 9 });
    expect(isDomainError(e)).toBe(true);
    expect(e).toMatchObject({ code: 'incident.not_found', details: { number: 9 }, name: 'DomainError' });
    expect(isDomainError(new Error('bug'))).toBe(false);
  });

  it('refuses a code that is not in the union', () => {
    // @ts-expect-error: 'incident.typo' is not an ErrorCode
    const bad: ErrorCode = 'incident.typo';
    expect(bad).toBe('incident.typo');
  });
});
