import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

/** A request body, or why it could not be read: 413 when over the limit, 400 when not inflatable. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; status: 400 | 413; message: string };

/**
 * Reads a request body of at most `maxBytes`, inflating gzip when asked; the limit holds for the
 * inflated size too, and inflating stops as soon as it is passed (a gzip bomb costs at most
 * `maxBytes` of memory). Resolves early with 413 when the body grows past the limit; the rest of
 * the body is then discarded as it arrives. `shared`: read into a SharedArrayBuffer where it can.
 */
export function readBody(req: IncomingMessage, maxBytes: number, gzipped: boolean, shared = false): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return Promise.resolve(tooLarge(maxBytes, `Content-Length is ${declared} bytes`));
  return new Promise((resolve) => {
    // With a Content-Length, fill one buffer of the right size instead of collecting chunks; in
    // shared memory when worker threads will read it (posting it to them then copies nothing).
    const exact = Number.isSafeInteger(declared) && declared > 0
      ? shared ? Buffer.from(new SharedArrayBuffer(declared)) : Buffer.allocUnsafe(declared)
      : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        finish(tooLarge(maxBytes, `the body is over ${maxBytes} bytes`));
        return;
      }
      // The HTTP parser never delivers more than Content-Length bytes.
      if (exact !== undefined) chunk.copy(exact, size - chunk.length);
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      const body = exact !== undefined ? exact.subarray(0, size) : Buffer.concat(chunks, size);
      if (!gzipped) {
        finish({ ok: true, body });
        return;
      }
      gunzip(body, { maxOutputLength: maxBytes }, (err, inflated) => {
        if (err === null) finish({ ok: true, body: inflated });
        else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') finish(tooLarge(maxBytes, `the gzip body inflates to more than ${maxBytes} bytes`));
        else finish({ ok: false, status: 400, message: `the body is not valid gzip (Content-Encoding: gzip): ${err.message}` });
      });
    });
    // A client that goes away mid-body gets no answer; nothing was accepted.
    req.on('error', () => finish({ ok: false, status: 400, message: 'the request body was cut off' }));
    req.on('aborted', () => finish({ ok: false, status: 400, message: 'the request body was cut off' }));
  });
}

function tooLarge(maxBytes: number, what: string): BodyResult {
  return { ok: false, status: 413, message: `request body too large: ${what}; the limit is ${maxBytes} bytes (limits.maxBodyBytes); send smaller batches` };
}
