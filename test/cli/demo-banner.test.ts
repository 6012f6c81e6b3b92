// The README's walkthrough and the demo's banner must tell the same story: every command line
// of the README's walkthrough block is printed by `gatehouse demo`, word for word.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { demoBanner } from '../../src/cli/demo-banner.ts';

it('the demo banner prints every command and comment of the README walkthrough', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const walkthrough = readme.slice(readme.indexOf('### Walkthrough'));
  const block = walkthrough.slice(walkthrough.indexOf('```sh\n') + 6, walkthrough.indexOf('\n```', walkthrough.indexOf('```sh\n')));
  const banner = demoBanner({
    gateway: 'http://127.0.0.1:8080',
    admin: 'http://127.0.0.1:9901',
    issuer: 'http://127.0.0.1:9000',
    identityStore: 'data/demo/identity.db',
    services: { coffee: 'http://127.0.0.1:9001', tea: 'http://127.0.0.1:9002', user: 'http://127.0.0.1:9003', order: 'http://127.0.0.1:9004' },
    mesh: {
      users: 'https://127.0.0.1:9005',
      orders: 'http://127.0.0.1:9004',
      spiffeIds: { users: 'spiffe://demo.gatehouse.dev/ns/demo/sa/users', orders: 'spiffe://demo.gatehouse.dev/ns/demo/sa/orders' },
    },
  });
  const bannerLines = new Set(banner.split('\n').map((line) => line.trim()));
  const readmeLines = block.split('\n').filter((line) => line.trim() !== '');
  assert.ok(readmeLines.length >= 10);
  for (const line of readmeLines) assert.ok(bannerLines.has(line.trim()), `banner is missing: ${line}`);
});
