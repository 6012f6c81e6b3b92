// The demo's fixed users. The identity service (a later part) replaces them with real accounts;
// until then these two show an admin and an ordinary user going through the gateway.

export interface DemoUser {
  username: string;
  role: 'admin' | 'user';
  scope: string;
  name: string;
}

export const DEMO_PASSWORD = 'demo';

const USERS: DemoUser[] = [
  { username: 'alice', role: 'admin', scope: 'users:read orders:read orders:write', name: 'Alice Admin' },
  { username: 'bob', role: 'user', scope: 'orders:read', name: 'Bob User' },
];

/** The user when the password is right; undefined otherwise (no hint which part was wrong). */
export function authenticateDemoUser(username: string, password: string): DemoUser | undefined {
  const user = USERS.find((candidate) => candidate.username === username);
  return user && password === DEMO_PASSWORD ? user : undefined;
}
