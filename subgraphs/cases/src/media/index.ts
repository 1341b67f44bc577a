/** Public surface of the cases media module: photo validation, photo storage and posters. */
export { MediaError, PhotoStorageError, type MediaErrorCode, type PhotoStorageErrorCode } from './media.errors';
export {
  processPhoto,
  isHeicSupported,
  supportedPhotoContentTypes,
  DEFAULT_MAX_PHOTO_BYTES,
  DEFAULT_MAX_PHOTO_PIXELS,
  DEFAULT_PHOTO_DIMENSION,
  DEFAULT_PHOTO_QUALITY,
  type PhotoProcessingOptions,
  type ProcessedPhoto,
  type SourcePhotoFormat,
} from './photo.processor';
export {
  createPhotoStorage,
  assertSafeKey,
  MAX_KEY_LENGTH,
  type PhotoStorage,
  type PhotoStorageConfig,
  type StoredPhoto,
} from './photo.storage';
export { DiskPhotoStorage } from './disk-photo.storage';
export { S3PhotoStorage, type S3PhotoStorageConfig } from './s3-photo.storage';
export { signRequest, type SigV4Credentials, type SigV4Request, type SigV4Scope } from './aws-sigv4.signer';
export { renderPoster, type PosterInput, type PosterOptions } from './poster.renderer';
