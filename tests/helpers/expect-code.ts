/** Test helper: a synchronous call that must throw a typed error with a given `code`. */

/** Runs `fn`, expects it to throw an instance of `type` whose `code` is `code`, and returns that error. */
export function expectThrownCode<E extends Error & { readonly code: string }>(fn: () => unknown, type: abstract new (...args: never[]) => E, code: string): E {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(type);
  expect((caught as E).code).toBe(code);
  return caught as E;
}
