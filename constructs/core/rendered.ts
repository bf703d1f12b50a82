/**
 * A rendered object as the rules, the output pipeline and the bootstrap model read it.
 */

/** One object as it will be written, with where it came from. */
export interface RenderedObject {
  /** Construct path of the ApiObject, or of the construct that generated it. */
  readonly path: string;
  /** Path of the file under `clusters/<cluster>/`. */
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The object as JSON. */
  readonly json: { apiVersion: string; kind: string; [key: string]: any };
}
