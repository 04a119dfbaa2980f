import { loadErrors } from 'kratos-ts';

/** Helpers for the ErrorReason enum of api/helloworld/v1/error_reason.proto (USER_NOT_FOUND -> 404). */
export const { isUserNotFound, errorUserNotFound } = loadErrors(
  new URL('../../api/helloworld/v1/error_reason.proto', import.meta.url),
  'USER_NOT_FOUND',
);
