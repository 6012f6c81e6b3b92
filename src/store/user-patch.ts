// What users.update does with a patch, the same for both drivers: a field set to a value
// replaces it; name and email may be cleared by passing them as undefined explicitly; the
// other fields ignore an undefined (an optional CLI flag that was not given).
import type { UserPatch, UserRecord } from './identity-store.ts';

export function applyUserPatch(current: UserRecord, patch: UserPatch, now: number): UserRecord {
  const has = (field: keyof UserPatch): boolean => Object.hasOwn(patch, field);
  return {
    ...current,
    passwordHash: patch.passwordHash ?? current.passwordHash,
    name: has('name') ? patch.name : current.name,
    email: has('email') ? patch.email : current.email,
    roles: patch.roles ?? current.roles,
    groups: patch.groups ?? current.groups,
    disabled: patch.disabled ?? current.disabled,
    updatedAt: now,
  };
}
