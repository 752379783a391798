/**
 * Thrown when the run history cannot be used as it is: a database written by a newer version,
 * a migration edited after it was applied, a file that is not a database, an ambiguous run id.
 * The message names the database file and what to do.
 */
export class HistoryError extends Error {
  override name = 'HistoryError';
  /** The database file concerned, when there is one. */
  readonly file: string | null;

  constructor(message: string, options: { file?: string | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file ?? null;
  }
}
