// Internal-token stage (after shape, before forward): picks the backend — the token's audience
// depends on which service gets the request — and, for a Backend with `spec.internalToken`,
// adds the gateway-signed token to the upstream headers. In `replace` mode the authenticator's
// identity headers are removed, so the signed token is the only identity the service sees.
// A client-sent copy of the token header never gets here: normalize strips it for every route.
import type { InternalTokenSettings } from '../../model/gateway-model.ts';
import type { RequestContext, Stage } from '../context.ts';
import type { InternalTokenMinter } from '../internal-token/internal-token-minter.ts';
import { routeOf } from './route.ts';

export interface InternalTokenStageOptions {
  minter: InternalTokenMinter;
  /** Backend name → its settings; only backends that asked for internal tokens. */
  settingsByBackend: ReadonlyMap<string, InternalTokenSettings>;
  /** Header names the authenticators set upstream (dropped in `replace` mode). */
  identityHeaderNames: readonly string[];
}

export function createInternalTokenStage(options: InternalTokenStageOptions): Stage {
  const { minter, settingsByBackend, identityHeaderNames } = options;
  return {
    name: 'internal-token',
    run(ctx: RequestContext): undefined {
      const backend = routeOf(ctx)!.pickBackend?.();
      if (backend === undefined) return undefined;
      // The forward stage sends the request to this backend (it does not pick again).
      ctx.upstream = backend;
      const settings = settingsByBackend.get(backend);
      if (settings === undefined) return undefined;
      const headers = ctx.outgoingHeaders!;
      if (settings.mode === 'replace') {
        for (let i = 0; i < identityHeaderNames.length; i++) delete headers[identityHeaderNames[i]];
      }
      headers[settings.header] = minter.tokenFor(ctx.identity, settings.audience);
      return undefined;
    },
  };
}
