// NGINX Ingress Controller Policy `spec.rateLimit` (ngx_http_limit_req_module underneath).
import { z } from 'zod';

export const nginxRateLimitSchema = z.strictObject({
  /** limit_req_zone rate: requests per second or per minute, e.g. `10r/s`, `30r/m`. */
  rate: z.string().regex(/^[1-9]\d*r\/[sm]$/, { error: 'rate must be requests per second or minute, e.g. "10r/s" or "30r/m"' }),
  /** NGINX variables, e.g. `${binary_remote_addr}`, `${jwt_claim_sub}`, `${http_x_api_key}`. */
  key: z.string().min(1),
  burst: z.int().nonnegative().optional(),
  noDelay: z.boolean().optional(),
  delay: z.int().nonnegative().optional(),
  /** limit_req_status: 400..599 (NGINX Ingress Controller default 503). */
  rejectCode: z.int().min(400).max(599).optional(),
  /** Size of NGINX's shared memory zone; Gatehouse's counters need none (ignored with a warning). */
  zoneSize: z.string().optional(),
  logLevel: z.enum(['info', 'notice', 'warn', 'error']).optional(),
});
export type NginxRateLimitSpec = z.infer<typeof nginxRateLimitSchema>;
