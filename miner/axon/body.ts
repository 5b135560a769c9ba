/**
 * Reading a request body with a size limit and a deadline, before anything parses it.
 */
import type { IncomingMessage } from 'node:http';
import { AxonRefusal } from './refusals';

/**
 * The body bytes. A `content-length` over the limit is refused before a byte is read.
 * @throws AxonRefusal `PayloadTooLarge` (413), `Timeout` (408) when the deadline passes while reading, `InvalidBody` when the client aborts
 */
export function readBody(req: IncomingMessage, limitBytes: number, deadline: number, timeoutS: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    return Promise.reject(new AxonRefusal('PayloadTooLarge', `Request body of ${declared} bytes exceeds the limit of ${limitBytes} bytes`));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err: AxonRefusal | null): void => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) finish(new AxonRefusal('PayloadTooLarge', `Request body exceeds the limit of ${limitBytes} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish(null);
    const onError = (): void => finish(new AxonRefusal('InvalidBody', 'the request body could not be read'));
    const onAborted = onError;
    const timer = setTimeout(() => finish(new AxonRefusal('Timeout', `Response timeout after: ${timeoutS}s`)), Math.max(0, deadline - performance.now()));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
}
