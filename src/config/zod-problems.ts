// Turns zod issues into ConfigProblems whose path reads like the YAML: `spec.jwtRules[0].issuer`.
import type { z } from 'zod';
import type { SourceRef } from '../model/gateway-model.ts';
import { closestKey, knownKeysAt } from './field-suggestion.ts';
import type { Problems } from './problems.ts';

export function fieldPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else path += path === '' ? String(segment) : `.${String(segment)}`;
  }
  return path;
}

export function reportZodIssues(error: z.ZodError, schema: z.core.$ZodType, source: SourceRef, problems: Problems): void {
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // One problem per unknown field, each with its own path, so the user sees exactly where.
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const suggestion = closestKey(key, known);
        problems.at(source, fieldPath([...issue.path, key]), suggestion ? `unknown field (did you mean "${suggestion}"?)` : 'unknown field');
      }
      continue;
    }
    problems.at(source, fieldPath(issue.path), describeIssue(issue));
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    // zod words it "Invalid input: expected string, received undefined".
    const detail = issue.message.replace(/^Invalid input: /, '');
    return detail.endsWith('received undefined') ? `is required (${issue.expected})` : detail;
  }
  return issue.message;
}
