// Per generation: the internal-token stage (only when some Backend asks for internal tokens)
// and the token header names normalize strips from every client request, so a client can
// never present its own "gateway-signed" token to a service.
import type { GatewayModel, InternalTokenSettings } from '../../model/gateway-model.ts';
import type { Stage } from '../context.ts';
import { createInternalTokenStage } from '../stages/internal-token.ts';
import type { GatewaySigningKeys } from './gateway-signing-keys.ts';
import { InternalTokenMinter } from './internal-token-minter.ts';

export interface CompiledInternalTokens {
  /** Zero or one stage, placed between shape and forward. */
  stages: Stage[];
  /** Lower-case header names of every configured internal token. */
  headerNames: string[];
}

export function compileInternalTokens(
  model: GatewayModel,
  signingKeys: GatewaySigningKeys,
  identityHeaderNames: readonly string[],
): CompiledInternalTokens {
  const settingsByBackend = new Map<string, InternalTokenSettings>();
  for (const backend of model.backends) if (backend.internalToken !== undefined) settingsByBackend.set(backend.name, backend.internalToken);
  const gatewayIdentity = model.gatewayIdentity;
  if (settingsByBackend.size === 0 || gatewayIdentity === undefined) return { stages: [], headerNames: [] };
  const minter = new InternalTokenMinter(gatewayIdentity, signingKeys.keyFor(gatewayIdentity.signingKeyFile));
  return {
    stages: [createInternalTokenStage({ minter, settingsByBackend, identityHeaderNames })],
    headerNames: [...new Set([...settingsByBackend.values()].map((settings) => settings.header))],
  };
}
