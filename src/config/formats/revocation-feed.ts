// RevocationFeed → model.revocationFeed. One feed per configuration: a gateway hears one identity
// service's revocations (its issuers can be many).
import type { RevocationFeedSettings } from '../../model/revocation-feed.ts';
import type { Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import { DEFAULT_REVOCATION_PREFIX } from '../../store/redis/revocation-wire.ts';

export function translateRevocationFeed(resources: Resources, problems: Problems): RevocationFeedSettings | undefined {
  const [first, ...others] = resources['gatehouse.dev/RevocationFeed'];
  for (const { source } of others) {
    problems.at(source, 'metadata.name', `only one RevocationFeed is allowed; "${first.source.name}" is already defined`);
  }
  if (first === undefined) return undefined;
  const { source, resource } = first;
  return {
    name: resource.metadata.name,
    url: resource.spec.redis.url,
    keyPrefix: resource.spec.redis.keyPrefix ?? DEFAULT_REVOCATION_PREFIX,
    issuers: resource.spec.issuers ?? [],
    source,
  };
}
