// When a workload should renew: at two thirds of its certificate's lifetime (the point Istio and
// SPIFFE agents use), leaving a third of the lifetime to retry if the CA is unreachable.

export interface ValidityWindow {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export function renewalTime(certificate: ValidityWindow): Date {
  const start = certificate.notBefore.getTime();
  const lifetime = certificate.notAfter.getTime() - start;
  return new Date(start + (lifetime * 2) / 3);
}

export function needsRenewal(certificate: ValidityWindow, now = new Date()): boolean {
  return now.getTime() >= renewalTime(certificate).getTime();
}
