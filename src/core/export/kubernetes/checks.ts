import { isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue } from './names.js';
import type { KubeObject } from './objects.js';

// Kinds whose names Kubernetes holds to a DNS-1123 label; the others take a subdomain.
const LABEL_NAMED = new Set(['Deployment', 'Service']);

/**
 * What Kubernetes would refuse in an object's names, label keys and values and annotation keys,
 * which schema validation does not look at: one line per problem, naming the object and field.
 */
export function objectProblems(object: KubeObject): string[] {
  const problems: string[] = [];
  const where = `${object.kind} ${object.metadata.name}`;
  const nameOk = LABEL_NAMED.has(object.kind) ? isDnsLabel(object.metadata.name) : isDnsSubdomain(object.metadata.name);
  if (!nameOk) problems.push(`${where}: the name is not a DNS-1123 ${LABEL_NAMED.has(object.kind) ? 'label' : 'subdomain'}`);
  walk(object, '', (path, key, value) => {
    const parent = path.split('.').at(-1) ?? '';
    if (parent === 'labels' || parent === 'matchLabels') {
      if (!isLabelKey(key)) problems.push(`${where}: ${path}: "${key}" is not a valid label key`);
      if (typeof value !== 'string' || !isLabelValue(value)) problems.push(`${where}: ${path}.${key}: "${String(value)}" is not a valid label value`);
    } else if (parent === 'annotations') {
      if (!isLabelKey(key)) problems.push(`${where}: ${path}: "${key}" is not a valid annotation key`);
    } else if (key === 'matchExpressions' && Array.isArray(value)) {
      for (const expression of value as { key?: unknown; values?: unknown }[]) {
        if (typeof expression.key !== 'string' || !isLabelKey(expression.key)) problems.push(`${where}: ${path}.matchExpressions: "${String(expression.key)}" is not a valid label key`);
        for (const item of Array.isArray(expression.values) ? expression.values : []) {
          if (typeof item !== 'string' || !isLabelValue(item)) problems.push(`${where}: ${path}.matchExpressions: "${String(item)}" is not a valid label value`);
        }
      }
    } else if ((parent === 'containers' || parent === 'volumes' || parent === 'volumeMounts') && key === 'name') {
      if (typeof value !== 'string' || !isDnsLabel(value)) problems.push(`${where}: ${path}.name: "${String(value)}" is not a DNS-1123 label`);
    } else if (key === 'claimName') {
      if (typeof value !== 'string' || !isDnsSubdomain(value)) problems.push(`${where}: ${path}.claimName: "${String(value)}" is not a DNS-1123 subdomain`);
    }
  });
  return problems;
}

// Calls `visit` for every field of every object below `value`; array items count as their array's path.
function walk(value: unknown, path: string, visit: (path: string, key: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, path, visit);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    visit(path, key, item);
    walk(item, path === '' ? key : `${path}.${key}`, visit);
  }
}
