import type { IncomingMessage } from 'node:http';
import { type Readable, type Transform, pipeline } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { AppError } from '../errors';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../limits/json-depth';

/**
 * Reads a POST body as JSON: Content-Type application/json in UTF-8, compressed or not, at most
 * `maxBytes` once decompressed, objects and lists nested at most MAX_JSON_DEPTH levels. Every
 * failure is an AppError in the contract's terms.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = mediaType(req.headers['content-type']);
  if (type?.essence !== 'application/json') {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type must be application/json (got ${req.headers['content-type'] ?? 'none'})`,
      [
        {
          target: 'Content-Type',
          errorCode: 'INVALID_VALUE',
          message: 'Send the request as application/json',
        },
      ],
    );
  }
  if (type.charset !== undefined && type.charset !== 'utf-8' && type.charset !== 'utf8') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8 JSON');
  }
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = (await readAll(decoded(req), maxBytes)).toString('utf8');
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (json.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null) {
    throw new AppError('BAD_REQUEST_BODY', 'The request body is not valid JSON', [
      { target: 'body', errorCode: 'INVALID_TYPE', message: 'The body must be a JSON object' },
    ]);
  }
  // JSON.parse takes any depth; what reads the variables afterwards recurses, and overflows the
  // stack on a few thousand levels.
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    throw new AppError(
      'BAD_REQUEST_BODY',
      `The request body nests deeper than ${MAX_JSON_DEPTH} levels`,
      [
        {
          target: 'body',
          errorCode: 'INVALID_VALUE',
          message: `Objects and lists may nest at most ${MAX_JSON_DEPTH} levels deep`,
        },
      ],
    );
  }
  return body;
}

/** The type and charset of a Content-Type header, lower-cased; undefined when there is none. */
function mediaType(header: string | undefined): { essence: string; charset?: string } | undefined {
  if (header === undefined) return undefined;
  const [essence, ...params] = header.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    charset = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return { essence: essence.trim().toLowerCase(), charset };
}

function decoded(req: IncomingMessage): Readable {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  // pipeline passes an aborted upload on to the decompressor as an error.
  const through = (inflate: Transform) => pipeline(req, inflate, () => undefined);
  switch (encoding) {
    case 'identity':
      return req;
    case 'gzip':
    case 'x-gzip':
      return through(createGunzip());
    case 'deflate':
      return through(createInflate());
    case 'br':
      return through(createBrotliDecompress());
    default:
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Encoding ${encoding} is not supported`,
        [
          {
            target: 'Content-Encoding',
            errorCode: 'INVALID_VALUE',
            message: 'Send the body as it is, or compressed with gzip, deflate or br',
          },
        ],
      );
  }
}

function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const fail = (error: AppError) => {
      stream.off('data', onData);
      stream.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) fail(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    // A body that does not decompress is not JSON either.
    stream.once('error', () =>
      fail(
        new AppError('BAD_REQUEST_BODY', 'The request body could not be decompressed', [
          { target: 'body', errorCode: 'INVALID_VALUE', message: 'The body must be a JSON object' },
        ]),
      ),
    );
  });
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes`, [
    { target: 'body', errorCode: 'INVALID_VALUE', message: `At most ${maxBytes} bytes` },
  ]);
}
