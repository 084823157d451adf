/**
 * The `extensions` of an answer to an operation that was costed: every answer but one refused
 * before its cost was known carries the cost. test/e2e/limits.test.ts checks the numbers.
 */
export const COSTED = {
  cost: { requested: expect.any(Number), limit: expect.any(Number) },
};
