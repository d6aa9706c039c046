/** An error answered over HTTP with a status and a JSON body {error: {message, position?}}. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly position?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
