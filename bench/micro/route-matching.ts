// Route matching with 1, 100, 1,000 and 10,000 HTTPRoutes: the cost of finding the last
// declared route (the worst case for any scan) through the compiled router.
import { compileRouter } from '../../src/gateway/routing/compile-router.ts';
import { measureSync, type MicroResult } from './measure-ns.ts';
import { MICRO_PORT, microModel } from './model-fixture.ts';

const EMPTY_JWKS = JSON.stringify({ keys: [] });

export async function run(): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  for (const routes of [1, 100, 1_000, 10_000]) {
    const router = compileRouter(microModel({ routes, policyRules: 0, jwks: EMPTY_JWKS }));
    const request = { listenerPort: MICRO_PORT, host: 'api.example.com', method: 'GET', path: `/service-${routes - 1}/items/42`, query: '', headers: {} };
    if (router.match(request)?.route.routeName !== `service-${routes - 1}`) throw new Error(`router did not find service-${routes - 1}`);
    results.push(measureSync(`route match, ${routes.toLocaleString('en-US')} route${routes === 1 ? '' : 's'}`, () => router.match(request)));
  }
  return results;
}
