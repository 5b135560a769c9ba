/** Test helper: the typed failure an operation rejects with. */
import { DispatchFailedError } from '../../../chain-client';

/** Resolves with the DispatchFailedError `p` rejects with; throws anything else (including success). */
export async function dispatchFailure(p: Promise<unknown>): Promise<DispatchFailedError> {
  const err = await p.then(
    () => new Error('expected a DispatchFailedError, but the operation succeeded'),
    (e: unknown) => e,
  );
  if (!(err instanceof DispatchFailedError)) throw err;
  return err;
}
