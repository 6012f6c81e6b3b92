// Weighted choice between a rule's backendRefs with NGINX's smooth weighted round-robin: over
// any window of sum(weights) picks each backend gets exactly its weight, and picks interleave
// (5:1:1 gives a a b a c a a, not a a a a a b c). Weight 0 means "never" (Gateway API BackendRef).
import type { WeightedBackend } from '../../model/gateway-model.ts';

/** Returns undefined when no backend has a positive weight (the rule then has nowhere to send). */
export function createWeightedPicker(backends: readonly WeightedBackend[]): (() => string) | undefined {
  const eligible = backends.filter((b) => b.weight > 0);
  if (eligible.length === 0) return undefined;
  if (eligible.length === 1) {
    const only = eligible[0].backend;
    return () => only;
  }
  const names = eligible.map((b) => b.backend);
  const weights = eligible.map((b) => b.weight);
  const current = new Array<number>(eligible.length).fill(0);
  const total = weights.reduce((sum, w) => sum + w, 0);
  return () => {
    let best = 0;
    for (let i = 0; i < current.length; i++) {
      current[i] += weights[i];
      if (current[i] > current[best]) best = i;
    }
    current[best] -= total;
    return names[best];
  };
}
