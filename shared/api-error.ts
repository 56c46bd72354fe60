// The error every argument check throws; both transports turn it into "bad request".
export class ApiArgumentError extends Error {
  override name = 'ApiArgumentError';
}
