// How request paths are normalized before routing and authorization (GatewayOptions
// `pathNormalization`), in Istio's and Envoy's words so their users recognise the choices.

/** Istio meshConfig.pathNormalization.normalization. */
export type PathNormalizationMode = 'NONE' | 'BASE' | 'MERGE_SLASHES' | 'DECODE_AND_MERGE_SLASHES';
export const PATH_NORMALIZATION_MODES = ['NONE', 'BASE', 'MERGE_SLASHES', 'DECODE_AND_MERGE_SLASHES'] as const;

/** Envoy http_connection_manager `path_with_escaped_slashes_action`, for `%2F` and `%5C`. */
export type EscapedSlashesAction = 'KEEP_UNCHANGED' | 'REJECT_REQUEST' | 'UNESCAPE_AND_REDIRECT' | 'UNESCAPE_AND_FORWARD';
export const ESCAPED_SLASHES_ACTIONS = ['KEEP_UNCHANGED', 'REJECT_REQUEST', 'UNESCAPE_AND_REDIRECT', 'UNESCAPE_AND_FORWARD'] as const;

export interface PathNormalization {
  normalization: PathNormalizationMode;
  escapedSlashes: EscapedSlashesAction;
}

/** What the gateway has always done: decode unreserved escapes, resolve dot segments, merge
 * slashes, and refuse `%2F` / `%5C` (CVE-2021-31920: router and upstream must agree on segments). */
export const DEFAULT_PATH_NORMALIZATION: PathNormalization = Object.freeze({ normalization: 'MERGE_SLASHES', escapedSlashes: 'REJECT_REQUEST' });
