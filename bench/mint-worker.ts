// Worker thread that signs one slice of the bench tokens: RSA signing costs about a millisecond a
// token here, so minting 20,000 of them is spread over every core (see mintTokensInParallel).
import { createPrivateKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { mintToken, type BenchClaims, type BenchSigningKey } from './tokens.ts';

export interface MintSlice {
  alg: BenchSigningKey['alg'];
  kid: string;
  privateKeyPem: string;
  claims: BenchClaims;
  prefix: string;
  from: number;
  to: number;
  nowSeconds: number;
}

const slice = workerData as MintSlice;
const key = { alg: slice.alg, kid: slice.kid, privateKey: createPrivateKey(slice.privateKeyPem) } as BenchSigningKey;
const tokens: string[] = [];
for (let i = slice.from; i < slice.to; i++) tokens.push(mintToken(key, slice.claims, `${slice.prefix}-${i}`, slice.nowSeconds));
parentPort!.postMessage(tokens);
