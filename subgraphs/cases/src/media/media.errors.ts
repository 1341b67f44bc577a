/**
 * Typed refusals raised by the media module.
 *
 * Every error carries a stable `code` that callers (HTTP routes, GraphQL resolvers) map to a
 * status or an error extension without parsing messages; messages are written for end users.
 */

/** Why an uploaded photo (or a photo handed to the poster) was refused. */
export type MediaErrorCode = 'UNSUPPORTED_MEDIA_TYPE' | 'PAYLOAD_TOO_LARGE' | 'INVALID_IMAGE';

/** A photo was refused; `code` is stable, `message` is safe to show to the uploader. */
export class MediaError extends Error {
  override readonly name = 'MediaError';

  constructor(
    readonly code: MediaErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why a storage operation failed. */
export type PhotoStorageErrorCode = 'INVALID_KEY' | 'STORAGE_UNAVAILABLE';

/**
 * A storage backend refused or failed an operation. `INVALID_KEY` means the key itself is not
 * acceptable (caller bug or hostile input); `STORAGE_UNAVAILABLE` means the backend failed
 * (disk error, S3 error status, network). `status` is the HTTP status from S3 when there was one.
 */
export class PhotoStorageError extends Error {
  override readonly name = 'PhotoStorageError';

  /** HTTP status returned by a remote backend, when the failure came from one. */
  readonly status: number | undefined;

  constructor(
    readonly code: PhotoStorageErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
  }
}
