import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutCookie, withoutQueryParameter } from '../../../src/gateway/stages/authenticate.ts';

// forwardOriginalToken: false removes the token from the place it was found, nothing else.
const queries: [query: string, name: string, expected: string][] = [
  ['access_token=abc', 'access_token', ''],
  ['a=1&access_token=abc&b=2', 'access_token', 'a=1&b=2'],
  ['access_token=abc&access_token=def&b=%20', 'access_token', 'b=%20'],
  ['access%5Ftoken=abc&b=2', 'access_token', 'b=2'],
  ['access_tokens=abc', 'access_token', 'access_tokens=abc'],
];
for (const [query, name, expected] of queries) {
  test(`query ${JSON.stringify(query)} without ${name} → ${JSON.stringify(expected)}`, () => {
    assert.equal(withoutQueryParameter(query, name), expected);
  });
}

const cookies: [header: string, name: string, expected: string][] = [
  ['session=abc', 'session', ''],
  ['theme=dark; session=abc; lang=en', 'session', 'theme=dark; lang=en'],
  ['sessionid=1; session=abc', 'session', 'sessionid=1'],
];
for (const [header, name, expected] of cookies) {
  test(`cookie ${JSON.stringify(header)} without ${name} → ${JSON.stringify(expected)}`, () => {
    assert.equal(withoutCookie(header, name), expected);
  });
}
