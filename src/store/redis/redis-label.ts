// How a Redis server is named in metric labels, log fields and `gatehouse check` output: host and
// port only, since a Redis URL may carry a user and password. Kept apart from the modules that
// load ioredis, so describing a configuration does not load a Redis client.

export function redisLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}
