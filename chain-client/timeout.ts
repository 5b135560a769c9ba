/**
 * A bounded wait: every chain request goes through {@link withTimeout}.
 */
import { RequestTimeoutError } from './errors';

/**
 * Resolves or rejects as `promise` does, or rejects with `RequestTimeoutError` after `timeoutMs`.
 * The timer is always cleared, so no handle outlives the call.
 */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, method: string, url: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeoutError(method, timeoutMs, url)), timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
